package dev.egopose.crop;

import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.OpenCvNative;
import org.opencv.core.Core;
import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Decodes JPEG/PNG bytes with OpenCV's {@code imdecode}, optionally at 1/2, 1/4 or 1/8 scale (JPEG's
 * DCT scaling, several times cheaper than a full decode). Stateless and thread-safe.
 */
public final class FrameDecoder {
    public FrameDecoder() {
        OpenCvNative.load();
    }

    /**
     * A new {@code CV_8UC3} BGR image as stored in the bytes, decoded at {@code 1/reduction} scale
     * (1, 2, 4 or 8). Caller releases.
     *
     * @throws ImageDecodeException when the bytes are not an image OpenCV can read
     */
    public Mat decodeBgr(byte[] encoded, int reduction) {
        int flags = switch (reduction) {
            case 1 -> Imgcodecs.IMREAD_COLOR;
            case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> throw new IllegalArgumentException("decode reduction must be 1, 2, 4 or 8, got " + reduction);
        };
        if (encoded == null || encoded.length == 0) {
            throw new ImageDecodeException("cannot decode an image from " + (encoded == null ? "null" : "0") + " bytes");
        }
        MatOfByte buffer = new MatOfByte(encoded);
        Mat image;
        try {
            image = Imgcodecs.imdecode(buffer, flags);
        } catch (CvException e) {
            // e.g. a header declaring more pixels than OpenCV's CV_IO_MAX_IMAGE_PIXELS
            throw new ImageDecodeException("OpenCV refuses to decode " + encoded.length + " bytes: " + firstLine(e.getMessage()));
        } finally {
            buffer.release();
        }
        if (image.empty()) {
            image.release();
            throw new ImageDecodeException("cannot decode " + encoded.length + " bytes as JPEG or PNG");
        }
        return image;
    }

    /** A new full-resolution RGB image in sensor orientation (portrait frames rotated 90 degrees counter-clockwise). */
    public Mat decodeRgb(byte[] encoded, FrameOrientation orientation) {
        Mat image = decodeBgr(encoded, 1);
        Imgproc.cvtColor(image, image, Imgproc.COLOR_BGR2RGB);
        return toSensor(image, orientation);
    }

    /** Returns {@code image} in sensor orientation: itself, or a rotated copy (releasing {@code image}). */
    static Mat toSensor(Mat image, FrameOrientation orientation) {
        if (orientation == FrameOrientation.SENSOR) {
            return image;
        }
        Mat rotated = new Mat();
        Core.rotate(image, rotated, Core.ROTATE_90_COUNTERCLOCKWISE);
        image.release();
        return rotated;
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
