package dev.egopose.crop;

import dev.egopose.camera.OpenCvNative;
import dev.egopose.domain.HandBox;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * The benchmark's crop transform (REFERENCE section 2), from undistorted-image pixels to crop pixels:
 * {@code M = [[k, 0, tx], [0, k, ty]]} with centre c = box centre, side = max(w, h),
 * {@code k = 224 / (1.25 side)}, {@code t = 112 - k c}. No half-pixel offset, no clamping.
 */
public record CropAffine(double k, double tx, double ty) {
    /** Crop width and height in pixels. */
    public static final int SIZE = 224;
    /** The box side is enlarged by this factor. */
    public static final double MARGIN = 1.25;

    public CropAffine {
        if (!(k > 0) || !Double.isFinite(k) || !Double.isFinite(tx) || !Double.isFinite(ty)) {
            throw new IllegalArgumentException("crop scale must be positive and finite, got k=" + k + " t=(" + tx + ", " + ty + ")");
        }
    }

    public static CropAffine forBox(HandBox box) {
        double side = Math.max(box.width(), box.height());
        double k = SIZE / (MARGIN * side);
        return new CropAffine(k, SIZE / 2.0 - k * box.centerX(), SIZE / 2.0 - k * box.centerY());
    }

    /** The 2x3 row-major matrix. */
    public double[] matrix() {
        return new double[] {k, 0, tx, 0, k, ty};
    }

    /** Undistorted-image x of crop pixel column {@code cropX}. */
    public double sourceX(double cropX) {
        return (cropX - tx) / k;
    }

    /** Undistorted-image y of crop pixel row {@code cropY}. */
    public double sourceY(double cropY) {
        return (cropY - ty) / k;
    }

    /** A new {@code CV_64FC1} 2x3 matrix for {@code Imgproc.warpAffine}. Caller releases. */
    public Mat toMat() {
        OpenCvNative.load();
        Mat m = new Mat(2, 3, CvType.CV_64FC1);
        m.put(0, 0, matrix());
        return m;
    }
}
