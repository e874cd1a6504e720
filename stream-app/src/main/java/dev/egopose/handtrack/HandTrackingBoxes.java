package dev.egopose.handtrack;

import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.RigidTransform;
import dev.egopose.domain.HandBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a tracked hand into the box the benchmark would have given it: the landmarks go from the
 * device frame into the RGB camera ({@code p_cam = R^T (p_device - t)} with the calibration's
 * {@code T_Device_Camera}), are projected by the benchmark's undistorted 512x512 f=150 pinhole
 * camera (which shares the RGB camera's pose), and the tight box of the projections is padded by
 * 20 px and clipped to [0, 511] (the train/val rule).
 *
 * <p>With only a wrist and a palm, the hand is taken as a sphere around
 * {@code palm + } {@value #CENTRE_AHEAD} {@code (palm - wrist)} of radius
 * {@value #RADIUS} {@code |palm - wrist|}, whose projected square is padded likewise. The
 * constants were measured against the landmark boxes on 320 synthetic hands (mean IoU 0.74,
 * within 0.005 of the best of a grid; {@code wrist_palm_rule.py}, README).
 *
 * <p>No box (the hand is not posed) for a hand below the confidence threshold, with any point
 * less than 1 cm in front of the camera, or whose box falls outside the image.
 */
public final class HandTrackingBoxes {
    public static final double PAD = 20;
    static final double CENTRE_AHEAD = 0;
    static final double RADIUS = 1.0;
    private static final double MIN_DEPTH = 0.01;
    private static final double MIN_SIDE = 2;

    private final double minConfidence;

    /** @param minConfidence hands tracked with less confidence are not posed */
    public HandTrackingBoxes(double minConfidence) {
        this.minConfidence = minConfidence;
    }

    /** The box in the benchmark's undistorted 512x512 image. */
    public Optional<HandBox> undistorted(TrackedHand hand, RigidTransform deviceFromCamera) {
        PinholeCamera camera = PinholeCamera.BENCHMARK;
        return projected(hand, deviceFromCamera, camera.focal(), (x, y, z) -> new double[] {
            camera.focal() * x / z + camera.cx(), camera.focal() * y / z + camera.cy()}, camera.width(), camera.height());
    }

    /** The box in the fisheye image of the calibration's own size (same rule, through Fisheye624). */
    public Optional<HandBox> fisheye(TrackedHand hand, RigidTransform deviceFromCamera, RgbCalibration calibration) {
        return projected(hand, deviceFromCamera, calibration.model().focal(), (x, y, z) -> {
            var p = calibration.model().project(x, y, z);
            return new double[] {p.x(), p.y()};
        }, calibration.width(), calibration.height());
    }

    private interface Projection {
        double[] project(double x, double y, double z);
    }

    private Optional<HandBox> projected(TrackedHand hand, RigidTransform deviceFromCamera, double focal, Projection projection,
                                        int width, int height) {
        if (!(hand.confidence() >= minConfidence) || hand.confidence() <= 0) {
            return Optional.empty();
        }
        List<double[]> points = new ArrayList<>();
        if (hand.hasLandmarks()) {
            double[] all = hand.landmarks();
            for (int i = 0; i < TrackedHand.LANDMARKS; i++) {
                double[] p = deviceFromCamera.applyInverse(new double[] {all[3 * i], all[3 * i + 1], all[3 * i + 2]});
                if (p[2] < MIN_DEPTH) {
                    return Optional.empty();
                }
                points.add(projection.project(p[0], p[1], p[2]));
            }
            return box(points, width, height);
        }
        double[] wrist = deviceFromCamera.applyInverse(hand.wrist());
        double[] palm = deviceFromCamera.applyInverse(hand.palm());
        double[] centre = new double[3];
        double length = 0;
        for (int a = 0; a < 3; a++) {
            centre[a] = palm[a] + CENTRE_AHEAD * (palm[a] - wrist[a]);
            length += (palm[a] - wrist[a]) * (palm[a] - wrist[a]);
        }
        double radius = RADIUS * Math.sqrt(length);
        if (wrist[2] < MIN_DEPTH || palm[2] < MIN_DEPTH || centre[2] - radius < MIN_DEPTH) {
            return Optional.empty();
        }
        double[] c = projection.project(centre[0], centre[1], centre[2]);
        double half = focal * radius / centre[2];
        points.add(new double[] {c[0] - half, c[1] - half});
        points.add(new double[] {c[0] + half, c[1] + half});
        return box(points, width, height);
    }

    /**
     * The train/val rule: tight box of the points, padded by {@value #PAD} px, clipped to the image;
     * empty when a point is not finite or too little of the box is inside.
     */
    public static Optional<HandBox> box(List<double[]> points, int width, int height) {
        double x1 = Double.POSITIVE_INFINITY;
        double y1 = Double.POSITIVE_INFINITY;
        double x2 = Double.NEGATIVE_INFINITY;
        double y2 = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                return Optional.empty();
            }
            x1 = Math.min(x1, p[0]);
            y1 = Math.min(y1, p[1]);
            x2 = Math.max(x2, p[0]);
            y2 = Math.max(y2, p[1]);
        }
        x1 = Math.max(0, x1 - PAD);
        y1 = Math.max(0, y1 - PAD);
        x2 = Math.min(width - 1, x2 + PAD);
        y2 = Math.min(height - 1, y2 + PAD);
        if (x2 - x1 < MIN_SIDE || y2 - y1 < MIN_SIDE) {
            return Optional.empty();
        }
        return Optional.of(new HandBox(x1, y1, x2, y2));
    }
}
