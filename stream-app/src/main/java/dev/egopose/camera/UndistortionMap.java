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
 * <p>Immutable and safe to share between threads. The tables live in direct buffers owned by this
 * object (freed with it by the garbage collector, not {@code Mat}s), so a cache can drop an instance
 * at any time without racing a thread that still uses it; OpenCV reads them through {@code Mat}
 * headers without copying.
 */
public final class UndistortionMap {
    /** The benchmark's cone: rays more than 1.0 rad off-axis are black. */
    public static final double BENCHMARK_MAX_ANGLE = 1.0;
    /** Source coordinate given to OpenCV's remap for invalid pixels: far outside, so the border (black) is used. */
    static final float OUTSIDE = -1000f;

    private final RgbCalibration source;
    private final PinholeCamera target;
    private final double maxAngle;
    /**
     * Per target pixel: fisheye source x, y (valid or not: smooth, for resampling) and validity as 1 or 0,
     * interleaved, so one resampling carries both.
     */
    private final FloatBuffer sources;
    private final ByteBuffer sourcesBytes;
    /** The same with invalid pixels sent {@link #OUTSIDE}: the exact path's remap table. */
    private final ByteBuffer remapTable;
    /** 255 where valid, 0 elsewhere. */
    private final ByteBuffer valid;

    private UndistortionMap(RgbCalibration source, PinholeCamera target, double maxAngle) {
        this.source = source;
        this.target = target;
        this.maxAngle = maxAngle;
        double tan = Math.tan(maxAngle);
        double maxRadius2 = tan * tan;
        int w = target.width();
        int h = target.height();
        sourcesBytes = ByteBuffer.allocateDirect(w * h * 3 * Float.BYTES).order(ByteOrder.nativeOrder());
        sources = sourcesBytes.asFloatBuffer();
        remapTable = ByteBuffer.allocateDirect(w * h * 2 * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer table = remapTable.asFloatBuffer();
        valid = ByteBuffer.allocateDirect(w * h);
        Fisheye624 model = source.model();
        double[] out = new double[2];
        for (int y = 0; y < h; y++) {
            double b = (y - target.cy()) / target.focal();
            for (int x = 0; x < w; x++) {
                double a = (x - target.cx()) / target.focal();
                model.projectNormalized(a, b, out);
                int i = y * w + x;
                boolean ok = a * a + b * b <= maxRadius2 && source.contains(out[0], out[1]);
                sources.put(3 * i, (float) out[0]);
                sources.put(3 * i + 1, (float) out[1]);
                sources.put(3 * i + 2, ok ? 1f : 0f);
                valid.put(i, (byte) (ok ? 255 : 0));
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
        return valid.get(y * target.width() + x) != 0;
    }

    /** The fisheye source of target pixel (x, y), whether valid or not. */
    public ImagePoint sourceOf(int x, int y) {
        int i = y * target.width() + x;
        return new ImagePoint(sources.get(3 * i), sources.get(3 * i + 1));
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

    /**
     * A {@code CV_32FC3} header over (source x, source y, validity 1/0) of every target pixel; the
     * sources are given for invalid pixels too, so the table can be resampled smoothly. Same lifetime
     * rules as {@link #remapTableView()}.
     */
    public Mat sourcesView() {
        OpenCvNative.load();
        return new Mat(target.height(), target.width(), CvType.CV_32FC3, sourcesBytes);
    }

    /** A {@code CV_8UC1} header over the validity mask (255 valid, 0 not). Same lifetime rules as {@link #remapTableView()}. */
    public Mat validityView() {
        OpenCvNative.load();
        return new Mat(target.height(), target.width(), CvType.CV_8UC1, valid);
    }

    /** A new {@code CV_8UC1} copy of the validity mask: 255 where valid, 0 elsewhere. Caller releases. */
    public Mat validityMask() {
        Mat view = validityView();
        try {
            return view.clone();
        } finally {
            view.release();
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }
}
