package dev.egopose.render;

import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.util.Locale;
import java.util.Optional;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * A 3D plot of both hands' skeletons: one row per hand (right, then left), ground truth in the left
 * column and prediction in the right column, both wrist-relative, drawn in the same fixed oblique
 * orthographic view and scale, with the camera's axes (x right, y down, z forward, 5 cm long) and a
 * 5 cm grid on the horizontal plane through the wrist for reference. The wrist sits at the centre of its panel. The prediction
 * panel states the wrist-aligned mean joint error (mm) when both are known.
 */
final class SkeletonPlot {
    static final int PANEL = 360;
    static final int HEADER = 28;
    /** Pixels per metre: a 15 cm reach from the wrist stays inside the panel. */
    static final double SCALE = 1100;
    /** The view: turn about the camera's y axis by the azimuth, then tilt about x by the elevation. */
    static final double AZIMUTH = Math.toRadians(-35);
    static final double ELEVATION = Math.toRadians(25);
    private static final Scalar BACKGROUND = new Scalar(32, 28, 24);
    private static final Scalar GRID = new Scalar(90, 90, 90);
    private static final Scalar AXIS_X = new Scalar(60, 60, 230);
    private static final Scalar AXIS_Y = new Scalar(60, 200, 60);
    private static final Scalar AXIS_Z = new Scalar(230, 120, 60);
    private static final Scalar TEXT = new Scalar(235, 235, 235);

    /** A new BGR image of {@code 2 PANEL x (HEADER + 2 PANEL)}. Caller releases. */
    Mat draw(FrameScene scene) {
        Mat canvas = new Mat(HEADER + 2 * PANEL, 2 * PANEL, CvType.CV_8UC3, BACKGROUND);
        Imgproc.putText(canvas, scene.takeName() + "  frame " + scene.frameNumber() + "  (wrist-relative; grid lines every 5 cm)",
                new Point(8, 19), Imgproc.FONT_HERSHEY_SIMPLEX, 0.45, TEXT, 1, Imgproc.LINE_AA);
        HandSide[] rows = {HandSide.RIGHT, HandSide.LEFT};
        for (int row = 0; row < 2; row++) {
            HandScene hand = scene.hand(rows[row]);
            Optional<Joints3d> truth = hand.truth().filter(t -> Skeleton.finite(t, 0)).map(Skeleton::wristRelative);
            Optional<Joints3d> prediction = hand.prediction().map(Skeleton::wristRelative);
            int top = HEADER + row * PANEL;
            String side = rows[row].jsonName();
            panel(canvas, 0, top, side + " hand: ground truth", truth, Renderer.TRUTH, "no 3D ground truth");
            panel(canvas, PANEL, top, side + " hand: prediction", prediction, Renderer.colour(rows[row]), "no prediction");
            if (truth.isPresent() && prediction.isPresent()) {
                double error = meanError(truth.get(), prediction.get());
                Imgproc.putText(canvas, String.format(Locale.ROOT, "wrist-aligned MPJPE %.1f mm", error * 1000),
                        new Point(PANEL + 8, top + PANEL - 10), Imgproc.FONT_HERSHEY_SIMPLEX, 0.45, TEXT, 1, Imgproc.LINE_AA);
            }
        }
        Imgproc.line(canvas, new Point(PANEL, HEADER), new Point(PANEL, HEADER + 2 * PANEL), GRID, 1);
        Imgproc.line(canvas, new Point(0, HEADER + PANEL), new Point(2 * PANEL, HEADER + PANEL), GRID, 1);
        return canvas;
    }

    /** Where a wrist-relative point (metres) lands in the panel whose top-left corner is (left, top). */
    static Point toPanel(double x, double y, double z, int left, int top) {
        double ca = Math.cos(AZIMUTH);
        double sa = Math.sin(AZIMUTH);
        double x1 = ca * x + sa * z;
        double z1 = -sa * x + ca * z;
        double ce = Math.cos(ELEVATION);
        double se = Math.sin(ELEVATION);
        double y2 = ce * y - se * z1;
        return new Point(Math.round(left + PANEL / 2.0 + SCALE * x1), Math.round(top + PANEL / 2.0 + SCALE * y2));
    }

    private static void panel(Mat canvas, int left, int top, String title, Optional<Joints3d> joints, Scalar colour, String missing) {
        grid(canvas, left, top);
        Point o = toPanel(0, 0, 0, left, top);
        axis(canvas, o, toPanel(0.05, 0, 0, left, top), AXIS_X, "x");
        axis(canvas, o, toPanel(0, 0.05, 0, left, top), AXIS_Y, "y");
        axis(canvas, o, toPanel(0, 0, 0.05, left, top), AXIS_Z, "z");
        Imgproc.putText(canvas, title, new Point(left + 8, top + 18), Imgproc.FONT_HERSHEY_SIMPLEX, 0.5, TEXT, 1, Imgproc.LINE_AA);
        if (joints.isEmpty()) {
            Imgproc.putText(canvas, missing, new Point(left + 8, top + 40), Imgproc.FONT_HERSHEY_SIMPLEX, 0.45, GRID, 1, Imgproc.LINE_AA);
            return;
        }
        Joints3d j = joints.get();
        Point[] points = new Point[Joints3d.JOINTS];
        for (int k = 0; k < Joints3d.JOINTS; k++) {
            if (Skeleton.finite(j, k)) {
                points[k] = toPanel(j.get(k, 0), j.get(k, 1), j.get(k, 2), left, top);
            }
        }
        for (int[] bone : Skeleton.BONES) {
            if (points[bone[0]] != null && points[bone[1]] != null) {
                Imgproc.line(canvas, points[bone[0]], points[bone[1]], colour, 2, Imgproc.LINE_8);
            }
        }
        for (Point p : points) {
            if (p != null) {
                Imgproc.circle(canvas, p, 3, colour, -1, Imgproc.LINE_8);
            }
        }
    }

    /** Lines every 5 cm on the plane y = 0, x in [-0.1, 0.1], z in [-0.05, 0.15]. */
    private static void grid(Mat canvas, int left, int top) {
        for (int i = 0; i <= 4; i++) {
            double x = -0.1 + 0.05 * i;
            double z = -0.05 + 0.05 * i;
            Imgproc.line(canvas, toPanel(x, 0, -0.05, left, top), toPanel(x, 0, 0.15, left, top), GRID, 1, Imgproc.LINE_AA);
            Imgproc.line(canvas, toPanel(-0.1, 0, z, left, top), toPanel(0.1, 0, z, left, top), GRID, 1, Imgproc.LINE_AA);
        }
    }

    private static void axis(Mat canvas, Point from, Point to, Scalar colour, String name) {
        Imgproc.arrowedLine(canvas, from, to, colour, 1, Imgproc.LINE_AA, 0, 0.15);
        Imgproc.putText(canvas, name, new Point(to.x + 4, to.y + 4), Imgproc.FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, Imgproc.LINE_AA);
    }

    /** Mean distance (metres) over joints finite in both, after both wrists are at the origin. */
    private static double meanError(Joints3d truth, Joints3d prediction) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < Joints3d.JOINTS; k++) {
            if (Skeleton.finite(truth, k) && Skeleton.finite(prediction, k)) {
                double dx = truth.get(k, 0) - prediction.get(k, 0);
                double dy = truth.get(k, 1) - prediction.get(k, 1);
                double dz = truth.get(k, 2) - prediction.get(k, 2);
                sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
