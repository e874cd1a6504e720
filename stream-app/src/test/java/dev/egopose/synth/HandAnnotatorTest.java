package dev.egopose.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.camera.CameraReference;
import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.HandAnnotation;
import org.junit.jupiter.api.Test;

class HandAnnotatorTest {
    private final HandAnnotator annotator = HandAnnotator.benchmark(CameraReference.calibration1408());
    /**
     * With the benchmark's cone and frame no valid joint comes within 20 px of the 512 image's edge (the
     * valid disc has radius 233.6 px and the fisheye frame cuts it further), so clipping is tested with a
     * 1.2 rad cone (past the 512 image's corners) and a fisheye frame too large to limit anything.
     */
    private final HandAnnotator wide = new HandAnnotator(PinholeCamera.BENCHMARK,
            new RgbCalibration(CameraReference.calibration1408().model().cropAndScale(-1000, -1000, 1), 3408, 3408), 1.2);

    /** 21 joints at depth z whose pinhole pixels are (u0 + 3 j, v0 + 2 j), computed here with f = 150, c = 255.5. */
    private static Joints3d line(double u0, double v0, double z) {
        double[] xyz = new double[63];
        for (int j = 0; j < 21; j++) {
            xyz[3 * j] = (u0 + 3 * j - 255.5) / 150 * z;
            xyz[3 * j + 1] = (v0 + 2 * j - 255.5) / 150 * z;
            xyz[3 * j + 2] = z;
        }
        return new Joints3d(xyz);
    }

    @Test
    void boxIsPaddedByTwentyAndClippedToTheImage() {
        // pixels x 250..310, y 10..50: the top edge is clipped to 0
        HandAnnotation hand = wide.annotate(line(250, 10, 0.4));
        HandBox box = hand.box().orElseThrow();
        assertEquals(230, box.x1(), 1e-9);
        assertEquals(0, box.y1(), 1e-9);
        assertEquals(330, box.x2(), 1e-9);
        assertEquals(70, box.y2(), 1e-9);
        assertEquals(250, hand.keypoints2d().orElseThrow().x(0), 1e-9);
        assertEquals(21, hand.valid3d().orElseThrow().count());
        // bottom-right clipping at 511
        HandBox low = wide.annotate(line(450, 460, 0.4)).box().orElseThrow();
        assertEquals(511, low.x2(), 1e-9);
        assertEquals(511, low.y2(), 1e-9);
    }

    @Test
    void jointsOutsideTheImageAreInvalidNanExceptTheWristAndTheBoxIgnoresThem() {
        // joints walk right from x = 470: 470 + 3 j passes 511 after joint 13
        Joints3d joints = line(470, 250, 0.3);
        HandAnnotation hand = wide.annotate(joints);
        for (int j = 0; j < 21; j++) {
            boolean inside = 470 + 3 * j <= 511;
            assertEquals(inside, hand.valid3d().orElseThrow().isValid(j), "joint " + j);
            assertEquals(inside, hand.keypoints2d().orElseThrow().isPresent(j), "joint " + j);
            assertEquals(inside, !Double.isNaN(hand.joints3d().orElseThrow().get(j, 0)), "joint " + j);
        }
        assertEquals(511, hand.box().orElseThrow().x2(), 1e-9);
        assertEquals(450, hand.box().orElseThrow().x1(), 1e-9);
        // the wrist keeps its 3D even when it is itself invalid
        HandAnnotation wristOut = wide.annotate(line(-30, 250, 0.3));
        assertFalse(wristOut.valid3d().orElseThrow().isValid(0));
        assertEquals(joints.get(0, 2), wristOut.joints3d().orElseThrow().get(0, 2), 0.0);
    }

    @Test
    void handsOutOfViewAreNotAnnotated() {
        assertSame(HandAnnotation.NONE, annotator.annotate(line(600, 250, 0.3)));
        double[] behind = line(250, 250, 0.3).xyz();
        for (int j = 0; j < 21; j++) {
            behind[3 * j + 2] = -0.3;
        }
        assertSame(HandAnnotation.NONE, annotator.annotate(new Joints3d(behind)));
        // more than 1.0 rad off-axis but inside the 512 square (the image corner): invalid for the benchmark
        assertTrue(wide.annotate(line(250, 10, 0.4)).isEvaluated());
        assertFalse(annotator.annotate(line(250, 10, 0.4)).valid3d().orElseThrow().isValid(0));
        assertSame(HandAnnotation.NONE, annotator.annotate(corner()));
    }

    private static Joints3d corner() {
        double[] xyz = new double[63];
        for (int j = 0; j < 21; j++) {
            xyz[3 * j] = (5 + 0.1 * j - 255.5) / 150;
            xyz[3 * j + 1] = (5 - 255.5) / 150;
            xyz[3 * j + 2] = 1;
        }
        return new Joints3d(xyz);
    }

    @Test
    void leftHandIsTheMirrorImageOfTheRightHand() {
        HandSkeleton skeleton = new HandSkeleton();
        double[][] local = skeleton.local(new Articulation(0.3, 0.2, 0.4, 0.5, 0.6, 0.1));
        double[] rotation = HandMotion.rotation(0.7, -0.3, 0.2);
        double[] mirrored = HandMotion.rotation(0.7, 0.3, -0.2);
        Joints3d right = skeleton.place(local, HandSide.RIGHT, new double[] {0.1, 0.05, 0.3}, rotation);
        Joints3d left = skeleton.place(local, HandSide.LEFT, new double[] {-0.1, 0.05, 0.3}, mirrored);
        for (int j = 0; j < 21; j++) {
            assertEquals(-right.get(j, 0), left.get(j, 0), 1e-12);
            assertEquals(right.get(j, 1), left.get(j, 1), 1e-12);
            assertEquals(right.get(j, 2), left.get(j, 2), 1e-12);
        }
        // the right hand's thumb lies on the camera's left of its index finger when palm down, fingers forward
        Joints3d flat = skeleton.place(skeleton.local(new Articulation(0, 0, 0, 0, 0, 0)), HandSide.RIGHT,
                new double[] {0, 0, 0.3}, HandMotion.rotation(0, 0, 0));
        assertTrue(flat.get(4, 0) < flat.get(20, 0), "thumb tip left of pinky tip");
        assertTrue(flat.get(12, 2) > flat.get(0, 2) + 0.1, "fingers point away from the camera");
    }
}
