package dev.egopose.render;

import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.Ray;
import dev.egopose.camera.ImagePoint;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Draws one frame's hands as two PNG pictures:
 * <ol>
 *   <li>the overlay: the undistorted 512x512 image with each hand's box, the predicted skeleton (placed by
 *       {@link PredictionPlacement}, projected with the benchmark's pinhole camera) and, drawn last, the
 *       ground-truth skeleton;</li>
 *   <li>the 3D plot ({@link SkeletonPlot}): per hand, ground truth on the left and prediction on the right,
 *       both wrist-relative, same axes, scale and oblique view.</li>
 * </ol>
 * Colours (BGR): ground truth {@link #TRUTH} green; prediction and box {@link #RIGHT} magenta for the right
 * hand and {@link #LEFT} cyan for the left hand. Stateless apart from its settings; thread-safe.
 */
public final class Renderer {
    public static final Scalar TRUTH = new Scalar(0, 255, 0);
    public static final Scalar RIGHT = new Scalar(255, 0, 255);
    public static final Scalar LEFT = new Scalar(255, 255, 0);
    private static final Scalar WHITE = new Scalar(255, 255, 255);
    private static final Scalar BLACK = new Scalar(0, 0, 0);

    private final PinholeCamera camera;
    private final PredictionPlacement placement;
    private final SkeletonPlot plot = new SkeletonPlot();

    /** The benchmark's camera (512x512, f = 150) and a nominal depth of 0.4 m for hands without ground truth. */
    public Renderer() {
        this(PinholeCamera.BENCHMARK, 0.4);
    }

    public Renderer(PinholeCamera camera, double nominalDepth) {
        OpenCvNative.load();
        this.camera = camera;
        this.placement = new PredictionPlacement(camera, nominalDepth);
    }

    public static Scalar colour(HandSide side) {
        return side == HandSide.RIGHT ? RIGHT : LEFT;
    }

    /** The file name stem of a frame's pictures: {@code <take name>_<frame:06d>}. */
    public static String stem(FrameScene scene) {
        return String.format(Locale.ROOT, "%s_%06d", scene.takeName().replaceAll("[^A-Za-z0-9._-]", "_"), scene.frameNumber());
    }

    /**
     * Writes {@code <stem>_overlay.png} and {@code <stem>_3d.png} into {@code outDir} (created if needed).
     *
     * @param image the undistorted image (JPEG/PNG); when absent or unreadable the overlay is drawn on black
     */
    public RenderedFrame renderFrame(FrameScene scene, Optional<Path> image, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path overlayPath = outDir.resolve(stem(scene) + "_overlay.png");
        Path plotPath = outDir.resolve(stem(scene) + "_3d.png");
        Mat base = image.isPresent() && Files.isRegularFile(image.get()) ? Imgcodecs.imread(image.get().toString(), Imgcodecs.IMREAD_COLOR) : new Mat();
        Mat overlay = null;
        Mat skeletons = null;
        try {
            overlay = overlay(base.empty() ? null : base, scene);
            write(overlay, overlayPath);
            skeletons = plot.draw(scene);
            write(skeletons, plotPath);
        } finally {
            base.release();
            if (overlay != null) {
                overlay.release();
            }
            if (skeletons != null) {
                skeletons.release();
            }
        }
        return new RenderedFrame(overlayPath, plotPath);
    }

    /**
     * A new BGR image: a copy of {@code image} (BGR, the camera's size; null for black) with boxes and
     * skeletons drawn on it. Caller releases.
     */
    public Mat overlay(Mat image, FrameScene scene) {
        Mat canvas;
        if (image == null) {
            canvas = Mat.zeros(camera.height(), camera.width(), CvType.CV_8UC3);
        } else {
            if (image.cols() != camera.width() || image.rows() != camera.height() || image.type() != CvType.CV_8UC3) {
                throw new IllegalArgumentException("the overlay needs a " + camera.width() + "x" + camera.height()
                        + " colour image (the undistorted frame), got " + image.cols() + "x" + image.rows());
            }
            canvas = image.clone();
        }
        for (HandSide side : HandSide.values()) {
            HandScene hand = scene.hand(side);
            hand.box().ifPresent(b -> Imgproc.rectangle(canvas, new Point(b.x1(), b.y1()), new Point(b.x2(), b.y2()), colour(side), 1));
            hand.prediction()
                    .flatMap(p -> placement.place(p, hand.truth(), hand.box()))
                    .ifPresent(p -> drawProjected(canvas, p, colour(side), 2, 3));
        }
        for (HandSide side : HandSide.values()) {
            scene.hand(side).truth().ifPresent(t -> drawProjected(canvas, t, TRUTH, 1, 2));
        }
        label(canvas, scene.takeName() + "  frame " + scene.frameNumber(), new Point(6, 16));
        label(canvas, "green: ground truth", new Point(6, 470));
        labelColoured(canvas, "magenta: right prediction", new Point(6, 486), RIGHT);
        labelColoured(canvas, "cyan: left prediction", new Point(6, 502), LEFT);
        return canvas;
    }

    private void drawProjected(Mat canvas, Joints3d joints, Scalar colour, int thickness, int radius) {
        Point[] pixels = new Point[Joints3d.JOINTS];
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            if (Skeleton.finite(joints, j) && joints.get(j, 2) > 1e-3) {
                ImagePoint p = camera.project(new Ray(joints.get(j, 0), joints.get(j, 1), joints.get(j, 2)));
                pixels[j] = new Point(Math.round(p.x()), Math.round(p.y()));
            }
        }
        for (int[] bone : Skeleton.BONES) {
            if (pixels[bone[0]] != null && pixels[bone[1]] != null) {
                Imgproc.line(canvas, pixels[bone[0]], pixels[bone[1]], colour, thickness, Imgproc.LINE_8);
            }
        }
        for (Point p : pixels) {
            if (p != null) {
                Imgproc.circle(canvas, p, radius, colour, -1, Imgproc.LINE_8);
            }
        }
    }

    static void label(Mat canvas, String text, Point at) {
        labelColoured(canvas, text, at, WHITE);
    }

    static void labelColoured(Mat canvas, String text, Point at, Scalar colour) {
        Imgproc.putText(canvas, text, at, Imgproc.FONT_HERSHEY_SIMPLEX, 0.42, BLACK, 3, Imgproc.LINE_AA);
        Imgproc.putText(canvas, text, at, Imgproc.FONT_HERSHEY_SIMPLEX, 0.42, colour, 1, Imgproc.LINE_AA);
    }

    private static void write(Mat image, Path target) throws IOException {
        MatOfByte png = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".png", image, png)) {
                throw new IOException("OpenCV could not encode " + target + " as PNG");
            }
            Files.write(target, png.toArray());
        } finally {
            png.release();
        }
    }
}
