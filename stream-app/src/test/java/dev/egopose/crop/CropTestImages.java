package dev.egopose.crop;

import dev.egopose.camera.OpenCvNative;
import java.util.Random;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Synthetic test images; every returned Mat is the caller's to release. */
public final class CropTestImages {
    static {
        OpenCvNative.load();
    }

    private CropTestImages() {}

    /** The ramp of camera_reference.py: R = 255x/(n-1), G = 255y/(n-1), B = 255(x+y)/(2(n-1)), integer division. */
    static Mat rampRgb(int n) {
        byte[] px = new byte[n * n * 3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int i = 3 * (y * n + x);
                px[i] = (byte) (255 * x / (n - 1));
                px[i + 1] = (byte) (255 * y / (n - 1));
                px[i + 2] = (byte) (255 * (x + y) / (2 * (n - 1)));
            }
        }
        Mat m = new Mat(n, n, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    /** A JPEG of one colour (B, G, R), for tests that need a valid frame but not its pixels. */
    public static byte[] solidJpeg(int cols, int rows, double b, double g, double r) {
        Mat image = new Mat(rows, cols, CvType.CV_8UC3, new Scalar(b, g, r));
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".jpg", image, out);
            return out.toArray();
        } finally {
            image.release();
            out.release();
        }
    }

    static Mat randomRgb(int rows, int cols, long seed) {
        byte[] px = new byte[rows * cols * 3];
        new Random(seed).nextBytes(px);
        Mat m = new Mat(rows, cols, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    /** Encodes an RGB image (PNG: lossless; JPEG at the given quality otherwise). */
    static byte[] encode(Mat rgb, String ext, int jpegQuality) {
        Mat bgr = new Mat();
        MatOfByte out = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality);
        try {
            Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
            Imgcodecs.imencode(ext, bgr, out, params);
            return out.toArray();
        } finally {
            bgr.release();
            out.release();
            params.release();
        }
    }

    static double level(float[] tensor, int channel, int x, int y) {
        return ImageNetTensor.toLevel(tensor[channel * ImageNetTensor.PLANE + y * CropAffine.SIZE + x], channel);
    }
}
