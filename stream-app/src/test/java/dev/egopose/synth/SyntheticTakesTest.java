package dev.egopose.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.ImagePoint;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.HandCropper;
import dev.egopose.crop.UndistortedFrame;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.egoexo.HandAnnotation;
import dev.egopose.egoexo.TakeAnnotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

class SyntheticTakesTest {
    private static final int FRAMES = 6;
    private static final int TAKES = 2;
    private static final long SEED = 11;
    /** The benchmark's undistorted camera, written out here rather than taken from the code under test. */
    private static final double F = 150;
    private static final double C = 255.5;

    @TempDir
    static Path dir;
    private static SyntheticDataset data;
    private static double generationSeconds;

    @BeforeAll
    static void generate() throws IOException {
        OpenCvNative.load();
        long start = System.nanoTime();
        data = SyntheticTakes.generate(dir.resolve("out"), FRAMES, TAKES, SEED);
        generationSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "synth: %d takes x %d frames in %.2f s (including camera set-up)%n", TAKES, FRAMES, generationSeconds);
    }

    /** Independent skin test on a BGR pixel: red clearly above green and blue (the backdrop and sleeves never are). */
    private static boolean isSkin(double[] bgr) {
        return bgr[2] > bgr[0] + 25 && bgr[2] > bgr[1] + 8;
    }

    private static List<Joints3d> annotatedHands(GroundTruth truth) {
        List<Joints3d> hands = new ArrayList<>();
        for (TakeAnnotation take : truth.takes().values()) {
            for (FrameAnnotation frame : take.frames().values()) {
                for (HandSide side : HandSide.values()) {
                    frame.hand(side).joints3d().ifPresent(hands::add);
                }
            }
        }
        return hands;
    }

    @Test
    void layoutFollowsEgoExo4d() throws IOException {
        assertEquals(TAKES, data.takes().size());
        for (int k = 0; k < TAKES; k++) {
            SyntheticTake take = data.takes().get(k);
            assertEquals("synth_11_" + k, take.name());
            assertEquals(take.uid(), java.util.UUID.fromString(take.uid()).toString());
            assertEquals(List.of(0, 1, 2, 3, 4, 5), take.frameNumbers());
            Path undistorted = dir.resolve("out/image/undistorted/val/" + take.name() + "/000005.jpg");
            Path distorted = dir.resolve("out/image/distorted/val/" + take.name() + "/000005.jpg");
            assertEquals(undistorted, data.undistortedImage(take, 5));
            assertEquals(distorted, data.distortedImage(take, 5));
            Mat u = Imgcodecs.imread(undistorted.toString());
            Mat d = Imgcodecs.imread(distorted.toString());
            try {
                assertEquals(512, u.cols());
                assertEquals(512, u.rows());
                assertEquals(1408, d.cols());
                assertEquals(1408, d.rows());
            } finally {
                u.release();
                d.release();
            }
            // the calibration is the 2880 factory one; the 2880 -> 1408 rule applies on reading
            RgbCalibration cal = new CalibrationJson().read(dir.resolve("out/aria_calib_json/" + take.name() + ".json"));
            assertEquals(2880, cal.width());
        }
        assertNotEquals(data.takes().get(0).uid(), data.takes().get(1).uid());
        assertTrue(Files.isRegularFile(dir.resolve("out/annotation/ego_pose_gt_anno_val_public.json")));
        assertTrue(Files.isRegularFile(dir.resolve("out/annotation/ego_pose_gt_anno_test_public.json")));
    }

    @Test
    void bothHandsAreAnnotatedInEveryFrameWithAllJointsValid() {
        for (TakeAnnotation take : data.groundTruth().takes().values()) {
            assertEquals(FRAMES, take.frames().size());
            for (FrameAnnotation frame : take.frames().values()) {
                for (HandSide side : HandSide.values()) {
                    HandAnnotation hand = frame.hand(side);
                    assertTrue(hand.isEvaluated(), side + " frame " + frame.frameNumber());
                    assertEquals(21, hand.valid3d().orElseThrow().count());
                }
                // right hand on the right of the image, left hand on the left
                assertTrue(frame.right().joints3d().orElseThrow().get(0, 0) > 0);
                assertTrue(frame.left().joints3d().orElseThrow().get(0, 0) < 0);
            }
        }
    }

    @Test
    void twoDimensionalTruthIsThePinholeProjectionOfTheThreeD() {
        double worst = 0;
        int joints = 0;
        for (TakeAnnotation take : data.groundTruth().takes().values()) {
            for (FrameAnnotation frame : take.frames().values()) {
                for (HandSide side : HandSide.values()) {
                    HandAnnotation hand = frame.hand(side);
                    Joints3d xyz = hand.joints3d().orElseThrow();
                    for (int j = 0; j < 21; j++) {
                        double z = xyz.get(j, 2);
                        assertTrue(z > 0.2 && z < 0.6, "joint depth " + z);
                        double u = F * xyz.get(j, 0) / z + C;
                        double v = F * xyz.get(j, 1) / z + C;
                        worst = Math.max(worst, Math.hypot(u - hand.keypoints2d().orElseThrow().x(j), v - hand.keypoints2d().orElseThrow().y(j)));
                        joints++;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "synth: 2D truth vs pinhole projection of 3D truth: max %.3g px over %d joints%n", worst, joints);
        assertTrue(worst < 0.5, "worst reprojection error " + worst);
    }

    @Test
    void threeDTruthThroughTheFittedFisheyeLandsOnHandPixels() throws IOException {
        int onSkin = 0;
        int total = 0;
        int wrongCalibrationOnSkin = 0;
        for (SyntheticTake take : data.takes()) {
            RgbCalibration factory = new CalibrationJson().read(data.calibration(take));
            RgbCalibration fitted = factory.fittedTo(1408, 1408);
            for (int frame : take.frameNumbers()) {
                Mat image = Imgcodecs.imread(data.distortedImage(take, frame).toString());
                try {
                    FrameAnnotation annotation = data.groundTruth().frame(take.uid(), frame).orElseThrow();
                    for (HandSide side : HandSide.values()) {
                        Joints3d xyz = annotation.hand(side).joints3d().orElseThrow();
                        for (int j = 0; j < 21; j++) {
                            ImagePoint p = fitted.model().project(xyz.get(j, 0), xyz.get(j, 1), xyz.get(j, 2));
                            total++;
                            if (isSkin(image.get((int) Math.round(p.y()), (int) Math.round(p.x())))) {
                                onSkin++;
                            }
                            // the most common user error: the factory calibration used on 1408 frames unfitted
                            ImagePoint q = factory.model().project(xyz.get(j, 0), xyz.get(j, 1), xyz.get(j, 2));
                            if (q.x() < 1408 && q.y() < 1408 && isSkin(image.get((int) Math.round(q.y()), (int) Math.round(q.x())))) {
                                wrongCalibrationOnSkin++;
                            }
                        }
                    }
                } finally {
                    image.release();
                }
            }
        }
        System.out.printf(Locale.ROOT, "synth: fisheye projections of 3D truth on skin: %d / %d (unfitted calibration: %d)%n",
                onSkin, total, wrongCalibrationOnSkin);
        assertEquals(total, onSkin, "every joint projects onto a hand-coloured pixel");
        assertTrue(wrongCalibrationOnSkin < total / 10, "the skin test tells an unfitted calibration apart: " + wrongCalibrationOnSkin);
    }

    @Test
    void twoDimensionalTruthLandsOnHandPixelsOfTheUndistortedImage() {
        int onSkin = 0;
        int total = 0;
        for (SyntheticTake take : data.takes()) {
            for (int frame : take.frameNumbers()) {
                Mat image = Imgcodecs.imread(data.undistortedImage(take, frame).toString());
                try {
                    FrameAnnotation annotation = data.groundTruth().frame(take.uid(), frame).orElseThrow();
                    for (HandSide side : HandSide.values()) {
                        var kp = annotation.hand(side).keypoints2d().orElseThrow();
                        for (int j = 0; j < 21; j++) {
                            total++;
                            if (isSkin(image.get((int) Math.round(kp.y(j)), (int) Math.round(kp.x(j))))) {
                                onSkin++;
                            }
                        }
                    }
                } finally {
                    image.release();
                }
            }
        }
        System.out.printf(Locale.ROOT, "synth: 2D truth on skin in the undistorted image: %d / %d%n", onSkin, total);
        // at 512x512 a fingertip is a few pixels wide; JPEG may bleed the background into an edge pixel
        assertTrue(onSkin >= total * 0.97, onSkin + " of " + total);
    }

    @Test
    void undistortingTheFisheyeFrameReproducesTheRenderedPinholeImage() throws IOException {
        HandCropper cropper = new HandCropper(new UndistortionMapCache(2), 1);
        double sumAll = 0;
        long countAll = 0;
        double sumHands = 0;
        long countHands = 0;
        for (SyntheticTake take : data.takes()) {
            RgbCalibration calibration = new CalibrationJson().read(data.calibration(take));
            for (int frame : List.of(0, FRAMES - 1)) {
                Mat fisheye = Imgcodecs.imread(data.distortedImage(take, frame).toString());
                Mat rendered = Imgcodecs.imread(data.undistortedImage(take, frame).toString());
                Mat diff = new Mat();
                try (UndistortedFrame undistorted = cropper.undistort(fisheye, calibration)) {
                    Core.absdiff(undistorted.image(), rendered, diff);
                    FrameAnnotation annotation = data.groundTruth().frame(take.uid(), frame).orElseThrow();
                    List<HandBox> boxes = List.of(annotation.left().box().orElseThrow(), annotation.right().box().orElseThrow());
                    byte[] d = new byte[512 * 512 * 3];
                    byte[] mask = new byte[512 * 512];
                    diff.get(0, 0, d);
                    undistorted.validMask().get(0, 0, mask);
                    for (int y = 0; y < 512; y++) {
                        for (int x = 0; x < 512; x++) {
                            int i = y * 512 + x;
                            if (mask[i] == 0) {
                                continue;
                            }
                            double level = ((d[3 * i] & 0xff) + (d[3 * i + 1] & 0xff) + (d[3 * i + 2] & 0xff)) / 3.0;
                            sumAll += level;
                            countAll++;
                            for (HandBox box : boxes) {
                                if (x >= box.x1() && x <= box.x2() && y >= box.y1() && y <= box.y2()) {
                                    sumHands += level;
                                    countHands++;
                                    break;
                                }
                            }
                        }
                    }
                } finally {
                    fisheye.release();
                    rendered.release();
                    diff.release();
                }
            }
        }
        double meanAll = sumAll / countAll;
        double meanHands = sumHands / countHands;
        System.out.printf(Locale.ROOT, "synth: |undistort(fisheye) - rendered pinhole| mean %.2f levels in the valid disc, %.2f inside hand boxes%n",
                meanAll, meanHands);
        assertTrue(countAll > 150_000, "valid disc pixels " + countAll);
        assertTrue(meanAll < 6, "mean absolute difference in the valid disc " + meanAll);
        assertTrue(meanHands < 12, "mean absolute difference inside hand boxes " + meanHands);
    }

    @Test
    void writtenAnnotationReadsBackWithIdenticalNumbers() throws IOException {
        GroundTruth read = new GtAnnoReader().read(data.annotationVal());
        assertEquals(data.groundTruth(), read);
        // and the raw JSON holds the same numbers the reader returns (checked without the reader)
        JsonNode root = new ObjectMapper().readTree(data.annotationVal().toFile());
        SyntheticTake take = data.takes().get(1);
        JsonNode record = root.get(take.uid()).get("3");
        FrameAnnotation frame = read.frame(take.uid(), 3).orElseThrow();
        for (int j = 0; j < 21; j++) {
            for (int a = 0; a < 3; a++) {
                assertEquals(frame.left().joints3d().orElseThrow().get(j, a), record.get("left_hand_3d").get(j).get(a).doubleValue(), 0.0);
            }
            assertEquals(frame.right().keypoints2d().orElseThrow().x(j), record.get("right_hand_2d").get(j).get(0).doubleValue(), 0.0);
            assertTrue(record.get("right_hand_valid_3d").get(j).booleanValue());
        }
        assertEquals(take.name(), record.get("metadata").get("take_name").textValue());
        assertEquals(3, record.get("metadata").get("frame_number").intValue());
    }

    @Test
    void testShapedFileHasOnlyTheBoxesAndMetadata() throws IOException {
        JsonNode root = new ObjectMapper().readTree(data.annotationTest().toFile());
        JsonNode val = new ObjectMapper().readTree(data.annotationVal().toFile());
        assertEquals(TAKES, root.size());
        for (Iterator<Map.Entry<String, JsonNode>> takes = root.fields(); takes.hasNext(); ) {
            Map.Entry<String, JsonNode> take = takes.next();
            assertEquals(FRAMES, take.getValue().size());
            for (Iterator<Map.Entry<String, JsonNode>> frames = take.getValue().fields(); frames.hasNext(); ) {
                Map.Entry<String, JsonNode> frame = frames.next();
                List<String> fields = new ArrayList<>();
                frame.getValue().fieldNames().forEachRemaining(fields::add);
                assertEquals(List.of("right_hand_bbox", "left_hand_bbox", "metadata"), fields);
                JsonNode valRecord = val.get(take.getKey()).get(frame.getKey());
                assertEquals(valRecord.get("right_hand_bbox"), frame.getValue().get("right_hand_bbox"));
                assertEquals(valRecord.get("left_hand_bbox"), frame.getValue().get("left_hand_bbox"));
                assertEquals(valRecord.get("metadata"), frame.getValue().get("metadata"));
            }
        }
        GroundTruth test = new GtAnnoReader().read(data.annotationTest());
        assertEquals(0, test.evaluatedHands(HandSide.LEFT) + test.evaluatedHands(HandSide.RIGHT));
        assertEquals(TAKES * FRAMES, test.boxedHands(HandSide.LEFT));
    }

    @Test
    void boxesAreTheTightKeypointBoxPaddedTwentyAndClipped() throws IOException {
        JsonNode root = new ObjectMapper().readTree(data.annotationVal().toFile());
        int boxes = 0;
        for (JsonNode take : root) {
            for (JsonNode record : take) {
                for (String side : List.of("left", "right")) {
                    JsonNode kp = record.get(side + "_hand_2d");
                    double minX = 1e9;
                    double minY = 1e9;
                    double maxX = -1e9;
                    double maxY = -1e9;
                    for (JsonNode joint : kp) {
                        minX = Math.min(minX, joint.get(0).doubleValue());
                        minY = Math.min(minY, joint.get(1).doubleValue());
                        maxX = Math.max(maxX, joint.get(0).doubleValue());
                        maxY = Math.max(maxY, joint.get(1).doubleValue());
                    }
                    double[] expected = {Math.max(0, minX - 20), Math.max(0, minY - 20), Math.min(511, maxX + 20), Math.min(511, maxY + 20)};
                    JsonNode box = record.get(side + "_hand_bbox");
                    double[] actual = {box.get(0).doubleValue(), box.get(1).doubleValue(), box.get(2).doubleValue(), box.get(3).doubleValue()};
                    assertArrayEquals(expected, actual, 1e-9);
                    boxes++;
                }
            }
        }
        assertEquals(2 * TAKES * FRAMES, boxes);
    }

    @Test
    void sameSeedGivesByteIdenticalAnnotationsAndAnotherSeedDoesNot(@TempDir Path other) throws IOException {
        SyntheticTakes generator = new SyntheticTakes();
        SyntheticDataset a = generator.write(other.resolve("a"), 3, 1, 5, () -> { });
        SyntheticDataset b = generator.write(other.resolve("b"), 3, 1, 5, () -> { });
        SyntheticDataset c = generator.write(other.resolve("c"), 3, 1, 6, () -> { });
        assertEquals(-1, Files.mismatch(a.annotationVal(), b.annotationVal()));
        assertEquals(-1, Files.mismatch(a.annotationTest(), b.annotationTest()));
        assertEquals(-1, Files.mismatch(a.distortedImage(a.takes().get(0), 2), b.distortedImage(b.takes().get(0), 2)));
        assertNotEquals(-1, Files.mismatch(a.annotationVal(), c.annotationVal()));
        assertEquals(SyntheticTakes.takeUid(5, 0), a.takes().get(0).uid());
    }

    @Test
    void handsMoveSmoothlyAndKeepTheirBoneLengths() {
        TakeAnnotation take = data.groundTruth().takes().get(data.takes().get(0).uid());
        Joints3d previous = null;
        double firstLength = -1;
        for (FrameAnnotation frame : take.frames().values()) {
            Joints3d right = frame.right().joints3d().orElseThrow();
            // index proximal bone (5-6): the joint_mean table's joints 5 and 6 are 29.2 mm apart
            double length = distance(right, 5, 6);
            assertEquals(0.029240, length, 1e-6);
            if (firstLength < 0) {
                firstLength = length;
            }
            if (previous != null) {
                double moved = 0;
                for (int j = 0; j < 21; j++) {
                    moved = Math.max(moved, Math.sqrt(square(right.get(j, 0) - previous.get(j, 0))
                            + square(right.get(j, 1) - previous.get(j, 1)) + square(right.get(j, 2) - previous.get(j, 2))));
                }
                assertTrue(moved > 1e-4 && moved < 0.02, "largest joint step between frames " + moved);
            }
            previous = right;
        }
    }

    private static double distance(Joints3d joints, int a, int b) {
        return Math.sqrt(square(joints.get(a, 0) - joints.get(b, 0)) + square(joints.get(a, 1) - joints.get(b, 1))
                + square(joints.get(a, 2) - joints.get(b, 2)));
    }

    private static double square(double v) {
        return v * v;
    }
}
