package dev.egopose.detect;

import java.util.Map;

/** A neural network with one float NHWC input and named float outputs; holds native resources until closed. */
public interface TensorModel extends AutoCloseable {
    /** The input's shape, e.g. {@code [1, 192, 192, 3]}. */
    int[] inputShape();

    /**
     * Runs the model once.
     *
     * @param input the input's values in row-major order, exactly as many as its shape holds
     * @return each output tensor's values by the tensor's name
     */
    Map<String, float[]> run(float[] input);

    @Override
    void close();
}
