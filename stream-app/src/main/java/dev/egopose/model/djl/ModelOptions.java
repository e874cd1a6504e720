package dev.egopose.model.djl;

import java.util.Arrays;

/**
 * How to run a TorchScript model.
 *
 * @param device     {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param batchSizes the fixed batch shapes, ascending; a batch is padded up to the next one
 * @param predictors how many forward passes may run at once (each holds a DJL predictor)
 */
public record ModelOptions(String device, int[] batchSizes, int predictors) {
    public static final int[] DEFAULT_BATCH_SIZES = {1, 2, 4, 8, 16};

    public ModelOptions {
        if (batchSizes.length == 0) {
            throw new IllegalArgumentException("at least one batch size is needed");
        }
        batchSizes = batchSizes.clone();
        Arrays.sort(batchSizes);
        if (batchSizes[0] < 1) {
            throw new IllegalArgumentException("batch sizes must be positive: " + Arrays.toString(batchSizes));
        }
        if (predictors < 1) {
            throw new IllegalArgumentException("predictors must be at least 1, got " + predictors);
        }
    }

    /** CPU, batch sizes 1, 2, 4, 8, 16, one forward pass at a time. */
    public static ModelOptions defaults() {
        return new ModelOptions("cpu", DEFAULT_BATCH_SIZES, 1);
    }

    public ModelOptions withDevice(String name) {
        return new ModelOptions(name, batchSizes, predictors);
    }

    public ModelOptions withBatchSizes(int... sizes) {
        return new ModelOptions(device, sizes, predictors);
    }

    @Override
    public int[] batchSizes() {
        return batchSizes.clone();
    }
}
