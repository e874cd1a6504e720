package dev.egopose.crop;

import org.opencv.core.Mat;

/**
 * A frame undistorted to the benchmark's pinhole camera ({@code image}, 512x512, same channel order
 * as its input) and its validity mask ({@code CV_8UC1}: 255 where the pixel has image content, 0 where
 * it is outside the 1.0 rad cone or the fisheye frame). Owns both; close it.
 */
public record UndistortedFrame(Mat image, Mat validMask) implements AutoCloseable {
    @Override
    public void close() {
        image.release();
        validMask.release();
    }
}
