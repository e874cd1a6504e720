package dev.egopose.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.camera.OpenCvNative;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class RendererTest {
    /** Colours as documented (BGR), written out here. */
    private static final double[] GREEN = {0, 255, 0};
    private static final double[] MAGENTA = {255, 0, 255};
    private static final double[] CYAN = {255, 255, 0};
    private static final double F = 150;
    private static final double C = 255.5;

    @TempDir
    Path dir;

    @BeforeAll
    static void opencv() {
        OpenCvNative.load();
    }

    /** A fan of five straight fingers pointing up and right from the wrist at {@code (wx, wy, wz)}, metres. */
    private static Joints3d fan(double wx, double wy, double wz) {
        double[] xyz = new double[63];
        xyz[0] = wx;
        xyz[1] = wy;
        xyz[2] = wz;
        for (int chain = 0; chain < 5; chain++) {
            double angle = Math.toRadians(-80 + 12 * chain);
            for (int k = 0; k < 4; k++) {
                int j = 1 + 4 * chain + k;
                double r = 0.03 + 0.02 * k;
                xyz[3 * j] = wx + r * Math.cos(angle);
                xyz[3 * j + 1] = wy + r * Math.sin(angle);
                xyz[3 * j + 2] = wz;
            }
        }
        return new Joints3d(xyz);
    }

    private static int[] pixel(double x, double y, double z) {
        return new int[] {(int) Math.round(F * x / z + C), (int) Math.round(F * y / z + C)};
    }

    private static double[] at(Mat image, int[] xy) {
        return image.get(xy[1], xy[0]);
    }

    private Path greyImage() {
        Path file = dir.resolve("frame.png");
        Mat grey = new Mat(512, 512, CvType.CV_8UC3, new Scalar(90, 90, 90));
        try {
            Imgcodecs.imwrite(file.toString(), grey);
        } finally {
            grey.release();
        }
        return file;
    }

    @Test
    void overlayDrawsTruthAtItsProjectionAndThePredictionAtTheTruthWrist() throws IOException {
        Joints3d truth = fan(0.05, 0.06, 0.4);
        // prediction: wrist-relative truth with the index tip (joint 8) moved 6 cm left and down
        double[] rel = truth.xyz();
        for (int j = 20; j >= 0; j--) {
            for (int a = 0; a < 3; a++) {
                rel[3 * j + a] -= truth.get(0, a);
            }
        }
        rel[3 * 8] -= 0.06;
        rel[3 * 8 + 1] += 0.06;
        Joints3d prediction = new Joints3d(rel);
        HandBox box = new HandBox(250, 200, 330, 300);
        FrameScene scene = new FrameScene("uid-1", "take_a", 7,
                HandScene.empty(HandSide.LEFT),
                new HandScene(HandSide.RIGHT, Optional.of(box), Optional.of(truth), Optional.of(prediction)));
        RenderedFrame out = new Renderer().renderFrame(scene, Optional.of(greyImage()), dir.resolve("pictures"));
        assertEquals(dir.resolve("pictures/take_a_000007_overlay.png"), out.overlay());
        assertEquals(dir.resolve("pictures/take_a_000007_3d.png"), out.skeletons());
        Mat overlay = Imgcodecs.imread(out.overlay().toString());
        try {
            assertEquals(512, overlay.cols());
            assertEquals(512, overlay.rows());
            int[] wrist = pixel(0.05, 0.06, 0.4);
            assertArrayEquals(GREEN, at(overlay, wrist), "truth wrist");
            // the wrist disc has radius 2 and is centred there: its left and bottom edges (no bone goes that way)
            assertArrayEquals(GREEN, at(overlay, new int[] {wrist[0] - 2, wrist[1]}), "disc's left edge");
            assertFalse(java.util.Arrays.equals(GREEN, at(overlay, new int[] {wrist[0] - 3, wrist[1]})), "outside the disc, left");
            assertArrayEquals(GREEN, at(overlay, new int[] {wrist[0], wrist[1] + 2}), "disc's bottom edge");
            assertFalse(java.util.Arrays.equals(GREEN, at(overlay, new int[] {wrist[0], wrist[1] + 3})), "outside the disc, below");
            assertArrayEquals(GREEN, at(overlay, pixel(truth.get(12, 0), truth.get(12, 1), truth.get(12, 2))), "truth middle tip");
            int[] predictedTip = pixel(truth.get(8, 0) - 0.06, truth.get(8, 1) + 0.06, 0.4);
            assertArrayEquals(MAGENTA, at(overlay, predictedTip), "right prediction's moved index tip");
            assertArrayEquals(MAGENTA, at(overlay, new int[] {290, 200}), "right box top edge");
            assertArrayEquals(new double[] {90, 90, 90}, at(overlay, new int[] {100, 300}), "untouched background");
        } finally {
            overlay.release();
        }
    }

    @Test
    void predictionWithoutTruthSitsInItsBoxAtTheNominalDepth() throws IOException {
        Joints3d relative = fan(0, 0, 0.4);
        double[] rel = relative.xyz();
        for (int i = 0; i < 63; i += 3) {
            rel[i + 2] -= 0.4;
        }
        Joints3d prediction = new Joints3d(rel);
        HandBox box = new HandBox(100, 150, 200, 250);
        FrameScene scene = new FrameScene("uid-2", "take_b", 0,
                new HandScene(HandSide.LEFT, Optional.of(box), Optional.empty(), Optional.of(prediction)),
                HandScene.empty(HandSide.RIGHT));
        RenderedFrame out = new Renderer().renderFrame(scene, Optional.empty(), dir);
        // the joints' centroid goes on the ray through the box centre (150, 200) at 0.4 m
        double cx = 0;
        double cy = 0;
        for (int j = 0; j < 21; j++) {
            cx += prediction.get(j, 0) / 21;
            cy += prediction.get(j, 1) / 21;
        }
        double wx = (150 - C) / F * 0.4 - cx;
        double wy = (200 - C) / F * 0.4 - cy;
        Mat overlay = Imgcodecs.imread(out.overlay().toString());
        try {
            assertArrayEquals(CYAN, at(overlay, pixel(wx, wy, 0.4)), "left prediction's wrist");
            assertArrayEquals(new double[] {0, 0, 0}, at(overlay, new int[] {400, 300}), "no image: black");
        } finally {
            overlay.release();
        }
    }

    @Test
    void skeletonPlotPutsEachWristAtItsPanelCentreInItsColour() throws IOException {
        Joints3d truth = fan(0.05, 0.06, 0.4);
        Joints3d prediction = fan(0, 0, 0.3);
        double[] rel = prediction.xyz();
        for (int i = 0; i < 63; i += 3) {
            rel[i + 2] -= 0.3;
        }
        FrameScene scene = new FrameScene("uid-3", "take c/with slash", 3,
                HandScene.empty(HandSide.LEFT),
                new HandScene(HandSide.RIGHT, Optional.empty(), Optional.of(truth), Optional.of(new Joints3d(rel))));
        RenderedFrame out = new Renderer().renderFrame(scene, Optional.empty(), dir);
        assertEquals("take_c_with_slash_000003_3d.png", out.skeletons().getFileName().toString());
        assertTrue(Files.size(out.skeletons()) > 1000);
        Mat plot = Imgcodecs.imread(out.skeletons().toString());
        try {
            // two 360 px panels across, a 28 px header above two 360 px rows; right hand in the top row
            assertEquals(720, plot.cols());
            assertEquals(28 + 720, plot.rows());
            assertArrayEquals(GREEN, at(plot, new int[] {180, 28 + 180}), "truth wrist, top left panel");
            assertArrayEquals(MAGENTA, at(plot, new int[] {540, 28 + 180}), "prediction wrist, top right panel");
            // the left hand has nothing: its panels show no skeleton colour at the centre
            assertFalse(java.util.Arrays.equals(GREEN, at(plot, new int[] {180, 28 + 540})));
            assertFalse(java.util.Arrays.equals(CYAN, at(plot, new int[] {540, 28 + 540})));
        } finally {
            plot.release();
        }
    }

    @Test
    void absolutePredictionIsDrawnWhereItIs() {
        Joints3d absolute = fan(-0.05, 0.02, 0.35);
        PredictionPlacement placement = new PredictionPlacement(dev.egopose.camera.PinholeCamera.BENCHMARK, 0.4);
        assertFalse(PredictionPlacement.isWristRelative(absolute));
        assertEquals(absolute, placement.place(absolute, Optional.of(fan(0.1, 0.1, 0.5)), Optional.empty()).orElseThrow());
        Joints3d relative = new Joints3d(new double[63]);
        assertTrue(placement.place(relative, Optional.empty(), Optional.empty()).isEmpty(), "nowhere to put it");
    }
}
