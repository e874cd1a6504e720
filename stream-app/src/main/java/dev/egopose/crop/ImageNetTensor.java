package dev.egopose.crop;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Turns a 224x224 8-bit colour crop into the model's input: RGB, {@code /255}, ImageNet mean
 * (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225), CHW layout, {@code float[3 * 224 * 224]}.
 * The arithmetic is float32 in the order torchvision uses ({@code (v / 255 - mean) / std}), tabulated
 * once per level.
 */
public final class ImageNetTensor {
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};
    public static final int PLANE = CropAffine.SIZE * CropAffine.SIZE;
    public static final int LENGTH = 3 * PLANE;

    private final float[][] table = new float[3][256];

    public ImageNetTensor() {
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = ((float) v / 255f - MEAN[c]) / STD[c];
            }
        }
    }

    /** The normalised CHW tensor of {@code crop} ({@code CV_8UC3}, 224x224) stored in {@code order}. */
    public float[] toChw(Mat crop, ChannelOrder order) {
        if (crop.type() != CvType.CV_8UC3 || crop.rows() != CropAffine.SIZE || crop.cols() != CropAffine.SIZE) {
            throw new IllegalArgumentException("expected a 224x224 8-bit 3-channel crop, got " + crop);
        }
        byte[] pixels = new byte[LENGTH];
        crop.get(0, 0, pixels);
        float[] out = new float[LENGTH];
        // stored channel s goes to model channel c: identity for RGB, reversed for BGR
        for (int s = 0; s < 3; s++) {
            int c = order == ChannelOrder.RGB ? s : 2 - s;
            float[] lut = table[c];
            int base = c * PLANE;
            for (int i = 0; i < PLANE; i++) {
                out[base + i] = lut[pixels[3 * i + s] & 0xff];
            }
        }
        return out;
    }

    /** Inverse of the normalisation for one value of model channel {@code c}, in 8-bit levels (for tests and benches). */
    public static double toLevel(float value, int c) {
        return (value * STD[c] + MEAN[c]) * 255.0;
    }
}
