package dev.egopose.handtrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.CameraReference;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.RigidTransform;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Boxes from hand tracking against src/main/python/handboxes_reference.py (NumPy, written from the
 * formulas, not from this code): landmarks through the sample calibration's T_Device_Camera into the
 * benchmark's 512 pinhole and into the 1408 fisheye, the wrist-and-palm rule, and the hands that must
 * get no box (low confidence, behind the camera, outside the image).
 */
class HandTrackingBoxesTest {
    static JsonNode reference;
    static RigidTransform deviceFromCamera;
    static RgbCalibration calibration;
    private final HandTrackingBoxes boxes = new HandTrackingBoxes(0.5);

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = HandTrackingBoxesTest.class.getResourceAsStream("/dev/egopose/handtrack/handboxes_reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        deviceFromCamera = new CalibrationJson().parseDeviceFromCamera(CameraReference.sampleCalibrationText(), "sample").orElseThrow();
        calibration = CameraReference.calibration1408();
    }

    private static void assertBox(JsonNode expected, Optional<HandBox> actual, String what) {
        if (expected == null || expected.isNull()) {
            assertTrue(actual.isEmpty(), what + ": expected no box, got " + actual);
            return;
        }
        assertTrue(actual.isPresent(), what + ": expected " + expected);
        double[] e = CameraReference.doubles(expected);
        HandBox b = actual.get();
        double[] got = {b.x1(), b.y1(), b.x2(), b.y2()};
        for (int i = 0; i < 4; i++) {
            assertEquals(e[i], got[i], 1e-6, what + " corner " + i);
        }
    }

    @Test
    void landmarkBoxesMatchTheReferenceInBothImages() {
        int checked = 0;
        int boxed = 0;
        for (JsonNode sample : reference.get("samples")) {
            for (JsonNode hand : sample.get("hands")) {
                if (!hand.has("landmarks_device")) {
                    continue;
                }
                TrackedHand tracked = TrackedHand.ofLandmarks(HandSide.valueOf(hand.get("side").asText().toUpperCase()),
                        hand.get("confidence").asDouble(), CameraReference.doubles(hand.get("landmarks_device")));
                String what = sample.get("timestamp_us") + " " + hand.get("side").asText();
                assertBox(hand.get("box_undistorted"), boxes.undistorted(tracked, deviceFromCamera), what + " undistorted");
                assertBox(hand.get("box_fisheye"), boxes.fisheye(tracked, deviceFromCamera, calibration), what + " fisheye");
                TrackedHand wristAndPalm = new TrackedHand(tracked.side(), tracked.confidence(), new double[0], tracked.wrist(), tracked.palm());
                assertBox(hand.get("box_undistorted_wrist_palm"), boxes.undistorted(wristAndPalm, deviceFromCamera), what + " wrist and palm");
                checked++;
                boxed += hand.get("box_undistorted").isNull() ? 0 : 1;
            }
        }
        assertEquals(19, checked);
        assertEquals(16, boxed, "16 hands boxed; low confidence, behind the camera and far outside get none");
    }

    @Test
    void theCalibrationPoseIsReadFromTheJson() {
        double[] q = deviceFromCamera.rotation();
        assertEquals(1.0, q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3], 1e-12);
        assertEquals(-0.004554731980229378, deviceFromCamera.translation()[0], 1e-15);
        double[] p = {0.1, -0.2, 0.5};
        double[] back = deviceFromCamera.applyInverse(deviceFromCamera.apply(p));
        for (int i = 0; i < 3; i++) {
            assertEquals(p[i], back[i], 1e-12);
        }
    }

    @Test
    void aCalibrationWithoutAPoseHasNoneAndABrokenPoseIsRefused() {
        String single = "{\"Label\": \"camera-rgb\", \"Projection\": {\"Name\": \"FisheyeRadTanThinPrism\", \"Params\": "
                + "[600, 703.5, 703.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}";
        assertTrue(new CalibrationJson().parseDeviceFromCamera(single, "x.json").isEmpty());
        String broken = single.replace("}}", "}, \"T_Device_Camera\": {\"Translation\": [0, 0], \"UnitQuaternion\": [1, [0, 0, 0]]}}");
        var e = assertThrows(IllegalArgumentException.class, () -> new CalibrationJson().parseDeviceFromCamera(broken, "x.json"));
        assertTrue(e.getMessage().contains("x.json: camera-rgb.T_Device_Camera"), e.getMessage());
    }

    @Test
    void theReferenceCsvReadsAsTheSameHands() {
        List<TrackingSample> samples = MpsHandTrackingCsv.read(Path.of("src/test/resources/dev/egopose/handtrack/hand_tracking_results.csv"));
        assertEquals(reference.get("samples").size(), samples.size());
        TrackingSample last = samples.get(samples.size() - 1);
        assertEquals(1, last.hands().size(), "the absent right hand (confidence -1) is left out");
        TrackingSample first = samples.get(0);
        assertEquals(1_000_000L, first.timeUs());
        double[] expected = CameraReference.doubles(reference.get("samples").get(0).get("hands").get(0).get("landmarks_device"));
        double[] read = first.hands().get(0).landmarks();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], read[i], 1e-15);
        }
        assertEquals(HandSide.LEFT, first.hands().get(0).side());
    }
}
