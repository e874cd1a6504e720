package dev.egopose.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationJsonTest {
    /** camera-rgb Params of the sample as printed in the file (first three and last). */
    private static final double F = 1214.025993758243;
    private static final double CU = 1469.535869576514;
    private static final double CV = 1438.595858396595;
    private static final double S3 = -0.0002042473404798113;

    private final CalibrationJson reader = new CalibrationJson();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void readsTheFactoryCalibrationAsFullSensor(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("factory.json");
        Files.writeString(file, CameraReference.sampleCalibrationText());
        RgbCalibration calibration = reader.read(file);
        assertEquals(2880, calibration.width());
        assertEquals(2880, calibration.height());
        double[] p = calibration.model().params();
        assertEquals(F, p[0]);
        assertEquals(CU, p[1]);
        assertEquals(CV, p[2]);
        assertEquals(S3, p[14]);
    }

    @Test
    void sharedSampleIsTheCopyInTheRepository() throws Exception {
        Path shared = Path.of("/work/shared/data/aria_factory_calibration_sample.json");
        Assumptions.assumeTrue(Files.isRegularFile(shared), "no /work/shared on this machine");
        assertEquals(reader.read(shared), reader.parse(CameraReference.sampleCalibrationText(), "copy"));
    }

    @Test
    void readsEgoExo4dPerTakeFileAsRecordingSize() throws Exception {
        // the per-take file of the data preparation: the device calibration with f, cu, cv already rescaled
        ObjectNode root = (ObjectNode) mapper.readTree(CameraReference.sampleCalibrationText());
        ArrayNode params = rgbParams(root);
        double[] expected = CameraReference.doubles(CameraReference.root().get("params_1408"));
        for (int i = 0; i < 3; i++) {
            params.set(i, mapper.getNodeFactory().numberNode(expected[i]));
        }
        RgbCalibration calibration = reader.parse(root.toString(), "take.json");
        assertEquals(1408, calibration.width());
        assertArrayEquals(expected, calibration.model().params(), 1e-12);
    }

    @Test
    void readsASingleCameraObjectAndABareList() throws Exception {
        JsonNode root = mapper.readTree(CameraReference.sampleCalibrationText());
        JsonNode rgb = null;
        for (JsonNode camera : root.get("CameraCalibrations")) {
            if (camera.get("Label").asText().equals("camera-rgb")) {
                rgb = camera;
            }
        }
        RgbCalibration single = reader.parse(rgb.toString(), "single.json");
        RgbCalibration list = reader.parse(root.get("CameraCalibrations").toString(), "list.json");
        assertEquals(F, single.model().focal());
        assertEquals(single, list);
        assertEquals(2880, list.width());
    }

    @Test
    void explicitSizeOverridesInference() {
        RgbCalibration calibration = reader.parse(CameraReference.sampleCalibrationText(), "sample", 2880, 2880);
        assertEquals(2880, calibration.width());
        RgbCalibration odd = reader.parse(CameraReference.sampleCalibrationText(), "sample", 3000, 3000);
        assertEquals(3000, odd.height());
    }

    @Test
    void missingRgbCameraNamesFileAndLabelsFound() throws Exception {
        ObjectNode root = (ObjectNode) mapper.readTree(CameraReference.sampleCalibrationText());
        ArrayNode cameras = (ArrayNode) root.get("CameraCalibrations");
        for (int i = cameras.size() - 1; i >= 0; i--) {
            if (cameras.get(i).get("Label").asText().equals("camera-rgb")) {
                cameras.remove(i);
            }
        }
        CalibrationException e = assertThrows(CalibrationException.class, () -> reader.parse(root.toString(), "take_a.json"));
        assertTrue(e.getMessage().contains("take_a.json") && e.getMessage().contains("camera-rgb")
                && e.getMessage().contains("camera-slam-left"), e.getMessage());
    }

    @Test
    void wrongParameterCountNamesTheField() throws Exception {
        ObjectNode root = (ObjectNode) mapper.readTree(CameraReference.sampleCalibrationText());
        rgbParams(root).remove(14);
        CalibrationException e = assertThrows(CalibrationException.class, () -> reader.parse(root.toString(), "take_b.json"));
        assertTrue(e.getMessage().contains("take_b.json") && e.getMessage().contains("Params has 14 values"), e.getMessage());
    }

    @Test
    void nanParameterNamesIndexAndName() throws Exception {
        String text = CameraReference.sampleCalibrationText().replace("0.4049855059199108", "NaN");
        CalibrationException e = assertThrows(CalibrationException.class, () -> reader.parse(text, "take_c.json"));
        assertTrue(e.getMessage().contains("Params[3] (k0)") && e.getMessage().contains("take_c.json"), e.getMessage());
        String nullValue = CameraReference.sampleCalibrationText().replace("0.4049855059199108", "null");
        assertThrows(CalibrationException.class, () -> reader.parse(nullValue, "take_d.json"));
    }

    @Test
    void unknownModelIsNamed() throws Exception {
        ObjectNode root = (ObjectNode) mapper.readTree(CameraReference.sampleCalibrationText());
        for (JsonNode camera : root.get("CameraCalibrations")) {
            if (camera.get("Label").asText().equals("camera-rgb")) {
                ((ObjectNode) camera.get("Projection")).put("Name", "KannalaBrandtK3");
            }
        }
        CalibrationException e = assertThrows(CalibrationException.class, () -> reader.parse(root.toString(), "take_e.json"));
        assertTrue(e.getMessage().contains("KannalaBrandtK3") && e.getMessage().contains("FisheyeRadTanThinPrism"), e.getMessage());
    }

    @Test
    void otherShapesAndBrokenJsonAreRefused(@TempDir Path dir) {
        assertThrows(CalibrationException.class, () -> reader.parse("{\"Foo\": 1}", "x.json"));
        assertThrows(CalibrationException.class, () -> reader.parse("{\"CameraCalibrations\": 3}", "x.json"));
        assertThrows(CalibrationException.class, () -> reader.parse("{not json", "x.json"));
        assertThrows(CalibrationException.class, () -> reader.parse("", "x.json"));
        CalibrationException slam = assertThrows(CalibrationException.class, () -> reader.parse(
                "{\"Label\": \"camera-slam-left\", \"Projection\": {\"Name\": \"FisheyeRadTanThinPrism\", \"Params\": []}}", "x.json"));
        assertTrue(slam.getMessage().contains("camera-slam-left"), slam.getMessage());
        CalibrationException missing = assertThrows(CalibrationException.class, () -> reader.read(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());
    }

    @Test
    void uninferableSizeAsksForIt() throws Exception {
        ObjectNode root = (ObjectNode) mapper.readTree(CameraReference.sampleCalibrationText());
        rgbParams(root).set(1, mapper.getNodeFactory().numberNode(100.0));
        CalibrationException e = assertThrows(CalibrationException.class, () -> reader.parse(root.toString(), "take_f.json"));
        assertTrue(e.getMessage().contains("take_f.json") && e.getMessage().contains("explicitly"), e.getMessage());
    }

    private static ArrayNode rgbParams(ObjectNode root) {
        for (JsonNode camera : root.get("CameraCalibrations")) {
            if (camera.get("Label").asText().equals("camera-rgb")) {
                return (ArrayNode) camera.get("Projection").get("Params");
            }
        }
        throw new AssertionError("sample has no camera-rgb");
    }
}
