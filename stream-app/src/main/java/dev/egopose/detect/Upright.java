package dev.egopose.detect;

import dev.egopose.camera.FrameOrientation;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * The upright view of a frame that the detector sees. Aria's RGB sensor is mounted sideways: a
 * frame in sensor orientation is rotated 90 degrees clockwise to stand upright; a frame stored
 * rotated (portrait, as in recorded mp4s) already is. Maps upright points (continuous pixels) back
 * to the stored image's and the sensor's pixel indices.
 *
 * @param orientation   how the frame is stored
 * @param storedWidth   its stored width
 * @param storedHeight  its stored height
 */
public record Upright(FrameOrientation orientation, int storedWidth, int storedHeight) {
    public Upright {
        if (storedWidth <= 0 || storedHeight <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + storedWidth + "x" + storedHeight);
        }
    }

    /** The upright image's width. */
    public int width() {
        return orientation == FrameOrientation.SENSOR ? storedHeight : storedWidth;
    }

    /** A new upright image from the stored one (the caller releases both). */
    public Mat image(Mat stored) {
        Mat upright = new Mat();
        if (orientation == FrameOrientation.SENSOR) {
            Core.rotate(stored, upright, Core.ROTATE_90_CLOCKWISE);
        } else {
            stored.copyTo(upright);
        }
        return upright;
    }

    /** The sensor pixel (integer centres) under upright point {@code (u, v)}. */
    public double[] toSensor(double u, double v) {
        return new double[] {v - 0.5, width() - u - 0.5};
    }

    /** The stored image's pixel (integer centres) under upright point {@code (u, v)}. */
    public double[] toStored(double u, double v) {
        return orientation == FrameOrientation.SENSOR ? toSensor(u, v) : new double[] {u - 0.5, v - 0.5};
    }
}
