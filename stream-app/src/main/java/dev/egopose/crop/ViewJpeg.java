package dev.egopose.crop;

import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMapCache;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The picture the live view shows of a frame, as JPEG: a fisheye frame undistorted to the
 * benchmark's 512x512 f=150 view (where the boxes and poses live), an undistorted frame re-encoded as
 * it came. Every picture is decoded and re-encoded, so the browser only ever gets an image OpenCV
 * made. Fisheye frames of 1024 pixels or more a side are decoded at half scale: the 512 view samples
 * a 1408 Aria frame about 4:1 near its centre, so the full decode would only cost time. Thread-safe.
 */
public final class ViewJpeg {
    private static final int QUALITY = 80;
    private final FrameDecoder decoder = new FrameDecoder();
    private final HandCropper undistorter;

    public ViewJpeg(UndistortionMapCache maps) {
        this.undistorter = new HandCropper(maps, 1);
    }

    /** A fisheye frame (stored {@code orientation}) undistorted to the 512 view. @throws RuntimeException for bad bytes or calibration */
    public byte[] undistorted(byte[] encoded, FrameOrientation orientation, RgbCalibration calibration, int storedWidth, int storedHeight) {
        int reduction = Math.min(storedWidth, storedHeight) >= 1024 ? 2 : 1;
        try (MatScope scope = new MatScope()) {
            Mat sensor = scope.add(FrameDecoder.toSensor(decoder.decodeBgr(encoded, reduction), orientation));
            try (UndistortedFrame view = undistorter.undistort(sensor, calibration)) {
                return encode(view.image());
            }
        }
    }

    /** An undistorted frame as it came. @throws ImageDecodeException for bytes that are not an image */
    public byte[] asItCame(byte[] encoded) {
        try (MatScope scope = new MatScope()) {
            return encode(scope.add(decoder.decodeBgr(encoded, 1)));
        }
    }

    private static byte[] encode(Mat bgr) {
        MatOfByte jpeg = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, QUALITY);
        try {
            if (!Imgcodecs.imencode(".jpg", bgr, jpeg, params)) {
                throw new ImageDecodeException("OpenCV could not encode a " + bgr.cols() + "x" + bgr.rows() + " picture as JPEG");
            }
            return jpeg.toArray();
        } finally {
            jpeg.release();
            params.release();
        }
    }
}
