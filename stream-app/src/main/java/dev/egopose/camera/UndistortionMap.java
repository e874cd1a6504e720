package dev.egopose.camera;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Where each pixel of a pinhole target image comes from in the fisheye frame (REFERENCE section 4): for
 * target pixel (x, y), the ray {@code ((x-cx)/f, (y-cy)/f, 1)} projected with the Fisheye624 model. A
 * pixel is valid when its ray is at most {@code maxAngle} off-axis and its source lies in
 * {@code [0, W-1] x [0, H-1]}; invalid pixels come out black.
 *
 * <p>Immutable and safe to share between threads. The remap table lives in a direct buffer owned by
 * this object (freed with it by the garbage collector, not a {@code Mat}), so a cache can drop an
 * instance at any time without racing a thread that still uses it.
 */
public final class UndistortionMap {
    /** The benchmark's cone: rays more than 1.0 rad off-axis are black. */
    public static final double BENCHMARK_MAX_ANGLE = 1.0;
    /** Source coordinate given to OpenCV's remap for invalid pixels: far outside, so the border (black) is used. */
    static final float OUTSIDE = -1000f;

    private final RgbCalibration source;
    private final PinholeCamera target;
    private final double maxAngle;
    private final double maxRadius2;
    private final float[] srcX;
    private final float[] srcY;
    private final byte[] valid;
    private final ByteBuffer remapTable;

    private UndistortionMap(RgbCalibration source, PinholeCamera target, double maxAngle) {
        this.source = source;
        this.target = target;
        this.maxAngle = maxAngle;
        double tan = Math.tan(maxAngle);
        this.maxRadius2 = tan * tan;
        int w = target.width();
        int h = target.height();
        srcX = new float[w * h];
        srcY = new float[w * h];
        valid = new byte[w * h];
        remapTable = ByteBuffer.allocateDirect(w * h * 2 * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer table = remapTable.asFloatBuffer();
        Fisheye624 model = source.model();
        double[] out = new double[2];
        for (int y = 0; y < h; y++) {
            double b = (y - target.cy()) / target.focal();
            for (int x = 0; x < w; x++) {
                double a = (x - target.cx()) / target.focal();
                model.projectNormalized(a, b, out);
                int i = y * w + x;
                srcX[i] = (float) out[0];
                srcY[i] = (float) out[1];
                boolean ok = a * a + b * b <= maxRadius2 && source.contains(out[0], out[1]);
                valid[i] = (byte) (ok ? 255 : 0);
                table.put(2 * i, ok ? (float) out[0] : OUTSIDE);
                table.put(2 * i + 1, ok ? (float) out[1] : OUTSIDE);
            }
        }
    }

    /** Computes the map from {@code source} to {@code target} (milliseconds for 512x512; cache it). */
    public static UndistortionMap compute(RgbCalibration source, PinholeCamera target, double maxAngle) {
        if (!(maxAngle > 0) || maxAngle >= Math.PI / 2) {
            throw new IllegalArgumentException("maximum angle must be in (0, pi/2), got " + maxAngle);
        }
        return new UndistortionMap(source, target, maxAngle);
    }

    /** The benchmark's map: 512x512 pinhole, f = 150, 1.0 rad cone. */
    public static UndistortionMap benchmark(RgbCalibration source) {
        return compute(source, PinholeCamera.BENCHMARK, BENCHMARK_MAX_ANGLE);
    }

    public RgbCalibration source() {
        return source;
    }

    public PinholeCamera target() {
        return target;
    }

    public double maxAngle() {
        return maxAngle;
    }

    /** Whether target pixel (x, y) receives image content. */
    public boolean isValid(int x, int y) {
        return valid[y * target.width() + x] != 0;
    }

    /** The fisheye source of target pixel (x, y), whether valid or not. */
    public ImagePoint sourceOf(int x, int y) {
        int i = y * target.width() + x;
        return new ImagePoint(srcX[i], srcY[i]);
    }

    /**
     * The fisheye source of a sub-pixel target point, bilinear in the table, into {@code out[0..1]}.
     * Returns false (leaving {@code out} unspecified) when the point is outside the target image or
     * the cone, or its source is outside the fisheye frame.
     */
    public boolean sourceOf(double x, double y, double[] out) {
        int w = target.width();
        int h = target.height();
        if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) {
            return false;
        }
        double a = (x - target.cx()) / target.focal();
        double b = (y - target.cy()) / target.focal();
        if (a * a + b * b > maxRadius2) {
            return false;
        }
        int x0 = Math.min((int) x, w - 2);
        int y0 = Math.min((int) y, h - 2);
        double fx = x - x0;
        double fy = y - y0;
        int i = y0 * w + x0;
        double w00 = (1 - fx) * (1 - fy);
        double w01 = fx * (1 - fy);
        double w10 = (1 - fx) * fy;
        double w11 = fx * fy;
        out[0] = w00 * srcX[i] + w01 * srcX[i + 1] + w10 * srcX[i + w] + w11 * srcX[i + w + 1];
        out[1] = w00 * srcY[i] + w01 * srcY[i + 1] + w10 * srcY[i + w] + w11 * srcY[i + w + 1];
        return source.contains(out[0], out[1]);
    }

    /**
     * A {@code CV_32FC2} header over this map's remap table (invalid pixels point far outside the
     * frame), for {@code Imgproc.remap}. No copy: the caller releases the header and keeps this
     * object reachable while the header is in use.
     */
    public Mat remapTableView() {
        OpenCvNative.load();
        return new Mat(target.height(), target.width(), CvType.CV_32FC2, remapTable);
    }

    /** A new {@code CV_8UC1} mask of the target image: 255 where valid, 0 elsewhere. Caller releases. */
    public Mat validityMask() {
        OpenCvNative.load();
        Mat mask = new Mat(target.height(), target.width(), CvType.CV_8UC1);
        mask.put(0, 0, valid);
        return mask;
    }
}
