package dev.egopose.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.camera.CameraReference;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.domain.HandBox;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anchors, decoding, weighted NMS, the palm and landmark rects, the landmark projection and the
 * undistorted box against src/main/python/palm_reference.py (NumPy, written from MediaPipe's graph
 * numbers, not from this code).
 */
class DetectGeometryTest {
    static JsonNode ref;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = DetectGeometryTest.class.getResourceAsStream("/dev/egopose/detect/palm_reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
    }

    static double[] doubles(JsonNode node) {
        List<Double> values = new java.util.ArrayList<>();
        node.forEach(n -> {
            if (n.isArray()) {
                n.forEach(m -> values.add(m.asDouble()));
            } else {
                values.add(n.asDouble());
            }
        });
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "] of " + Arrays.toString(actual));
        }
    }

    private static void assertPalm(JsonNode expected, PalmDetection actual, double tolerance, String what) {
        assertEquals(expected.get("score").asDouble(), actual.score(), 1e-6, what + " score");
        assertClose(doubles(expected.get("box")), actual.box(), tolerance, what + " box");
        assertClose(doubles(expected.get("keypoints")), actual.keypoints(), tolerance, what + " keypoints");
    }

    private static List<PalmDetection> decoded() {
        float[] regressors = new float[PalmDecoder.ANCHORS * PalmDecoder.COORDS];
        float[] scores = new float[PalmDecoder.ANCHORS];
        Arrays.fill(scores, -20f);
        for (JsonNode e : ref.get("raw").get("entries")) {
            int i = e.get("index").asInt();
            scores[i] = (float) e.get("score").asDouble();
            double[] r = doubles(e.get("regressors"));
            for (int c = 0; c < PalmDecoder.COORDS; c++) {
                regressors[i * PalmDecoder.COORDS + c] = (float) r[c];
            }
        }
        return new PalmDecoder().decode(regressors, scores);
    }

    @Test
    void anchorsAreTheSsdGridOfTheReference() {
        double[] anchors = PalmDecoder.anchors();
        assertEquals(ref.get("anchors").get("count").asInt(), anchors.length / 2);
        for (JsonNode a : ref.get("anchors").get("sample")) {
            int i = a.get("index").asInt();
            assertEquals(a.get("x").asDouble(), anchors[2 * i], 1e-12, "anchor " + i + " x");
            assertEquals(a.get("y").asDouble(), anchors[2 * i + 1], 1e-12, "anchor " + i + " y");
        }
    }

    @Test
    void decodingKeepsScoresFromOneHalfWithBoxesAndKeypointsOfTheReference() {
        List<PalmDetection> palms = decoded();
        JsonNode expected = ref.get("raw").get("decoded");
        assertEquals(expected.size(), palms.size(), "palms above the threshold");
        for (int i = 0; i < palms.size(); i++) {
            assertPalm(expected.get(i), palms.get(i), 1e-5, "decoded " + i);
        }
    }

    @Test
    void weightedNmsMergesOverlapsAsTheReference() {
        List<PalmDetection> kept = PalmDecoder.weightedNms(decoded());
        JsonNode expected = ref.get("nms");
        assertEquals(expected.size(), kept.size(), "palms after suppression");
        for (int i = 0; i < kept.size(); i++) {
            assertPalm(expected.get(i), kept.get(i), 1e-5, "kept " + i);
        }
    }

    @Test
    void palmBecomesTheHandRectOfTheReferenceThroughTheLetterbox() {
        JsonNode palmRects = ref.get("palm_rects");
        Letterbox letterbox = Letterbox.fit(palmRects.get("width").asInt(), palmRects.get("height").asInt(), PalmDecoder.INPUT);
        List<PalmDetection> kept = PalmDecoder.weightedNms(decoded());
        for (int i = 0; i < kept.size(); i++) {
            JsonNode expected = palmRects.get("rects").get(i);
            PalmDetection inImage = letterbox.toImage(kept.get(i));
            assertClose(doubles(expected.get("box")), inImage.box(), 1e-3, "palm " + i + " box");
            assertClose(doubles(expected.get("keypoints")), inImage.keypoints(), 1e-3, "palm " + i + " keypoints");
            assertRect(expected.get("rect"), HandRect.fromPalm(inImage), "palm " + i + " rect");
        }
    }

    private static void assertRect(JsonNode expected, HandRect rect, String what) {
        assertClose(doubles(expected), new double[] {rect.cx(), rect.cy(), rect.width(), rect.height(), rect.rotation()}, 1e-3, what);
    }

    @Test
    void landmarksGiveTheNextRectOfTheReference() {
        JsonNode node = ref.get("landmark_rect");
        assertRect(node.get("rect"), HandRect.fromLandmarks(doubles(node.get("landmarks"))), "landmark rect");
    }

    @Test
    void modelPointsProjectThroughTheRotatedRectAsTheReference() {
        JsonNode node = ref.get("projection");
        double[] r = doubles(node.get("rect"));
        HandRect rect = new HandRect(r[0], r[1], r[2], r[3], r[4]);
        double[] raw = doubles(node.get("raw"));
        double[] expected = doubles(node.get("points"));
        for (int i = 0; i < 21; i++) {
            double[] p = rect.toImage(raw[3 * i] / 224, raw[3 * i + 1] / 224);
            assertClose(new double[] {expected[2 * i], expected[2 * i + 1]}, p, 1e-9, "landmark " + i);
        }
    }

    @Test
    void uprightLandmarksGiveTheUndistortedBoxOfTheReference() {
        JsonNode node = ref.get("undistorted_box");
        int size = node.get("frame").asInt();
        Optional<HandBox> box = LandmarkBoxes.undistorted(doubles(node.get("landmarks")), new Upright(FrameOrientation.PORTRAIT, size, size),
                CameraReference.calibration1408());
        assertTrue(box.isPresent());
        HandBox b = box.get();
        assertClose(doubles(node.get("box")), new double[] {b.x1(), b.y1(), b.x2(), b.y2()}, 1e-6, "undistorted box");
    }

    @Test
    void sensorAndPortraitFramesShareTheirSensorPixels() {
        Upright sensor = new Upright(FrameOrientation.SENSOR, 640, 480);
        Upright portrait = new Upright(FrameOrientation.PORTRAIT, 480, 640);
        assertEquals(480, sensor.width());
        // upright pixel (0, 0) (top-left) is the sensor's bottom-left pixel (0, 479)
        assertClose(new double[] {0, 479}, sensor.toSensor(0.5, 0.5), 1e-12, "sensor");
        assertClose(new double[] {0, 479}, portrait.toSensor(0.5, 0.5), 1e-12, "portrait");
        assertClose(new double[] {0, 0}, portrait.toStored(0.5, 0.5), 1e-12, "portrait stored");
    }
}
