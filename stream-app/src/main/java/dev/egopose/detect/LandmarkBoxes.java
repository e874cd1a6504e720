package dev.egopose.detect;

import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.Ray;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.domain.HandBox;
import dev.egopose.handtrack.HandTrackingBoxes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The box POTTER gets for landmarks found on an upright frame, by the train/val rule: tight box of
 * the 21 landmarks, padded by 20 px, clipped to the image. In the stored image itself (an undistorted
 * frame's box), or through the frame's fisheye calibration in the benchmark's undistorted 512x512
 * f=150 pinhole image, as for Aria hand tracking.
 */
public final class LandmarkBoxes {
    private static final double MAX_ANGLE = 1.0;

    private LandmarkBoxes() {}

    /** The box in the stored image's pixels. */
    public static Optional<HandBox> image(double[] uprightXy, Upright upright) {
        double[] points = new double[uprightXy.length];
        for (int i = 0; i < uprightXy.length; i += 2) {
            double[] p = upright.toStored(uprightXy[i], uprightXy[i + 1]);
            points[i] = p[0];
            points[i + 1] = p[1];
        }
        return box(points, upright.storedWidth(), upright.storedHeight());
    }

    /**
     * The box in the benchmark's undistorted image; empty when a landmark's ray is more than 1 rad
     * off-axis (outside what the undistorted image shows) or the box falls outside it.
     *
     * @param sensorCalibration the fisheye calibration fitted to the frame's sensor-orientation size
     */
    public static Optional<HandBox> undistorted(double[] uprightXy, Upright upright, RgbCalibration sensorCalibration) {
        PinholeCamera pinhole = PinholeCamera.BENCHMARK;
        double[] points = new double[uprightXy.length];
        for (int i = 0; i < uprightXy.length; i += 2) {
            double[] s = upright.toSensor(uprightXy[i], uprightXy[i + 1]);
            Ray ray = sensorCalibration.model().unproject(s[0], s[1]);
            if (!(ray.z() > 0) || ray.angleFromAxis() > MAX_ANGLE) {
                return Optional.empty();
            }
            points[i] = pinhole.focal() * ray.x() / ray.z() + pinhole.cx();
            points[i + 1] = pinhole.focal() * ray.y() / ray.z() + pinhole.cy();
        }
        return box(points, pinhole.width(), pinhole.height());
    }

    private static Optional<HandBox> box(double[] xy, int width, int height) {
        List<double[]> points = new ArrayList<>(xy.length / 2);
        for (int i = 0; i + 1 < xy.length; i += 2) {
            points.add(new double[] {xy[i], xy[i + 1]});
        }
        return HandTrackingBoxes.box(points, width, height);
    }
}
