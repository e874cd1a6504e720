package dev.egopose.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Test access to the independent reference numbers of src/main/python/camera_reference.py
 * (camera_reference.json) and to the sample factory calibration.
 */
public final class CameraReference {
    public static final String SAMPLE_CALIBRATION = "/dev/egopose/camera/aria_factory_calibration_sample.json";
    private static final JsonNode ROOT = load();

    private CameraReference() {}

    public static JsonNode root() {
        return ROOT;
    }

    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** The sample calibration rescaled to 1408 by the Python script. */
    public static RgbCalibration calibration1408() {
        return new RgbCalibration(new Fisheye624(doubles(ROOT.get("params_1408"))), 1408, 1408);
    }

    public static String sampleCalibrationText() {
        try (InputStream in = CameraReference.class.getResourceAsStream(SAMPLE_CALIBRATION)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode load() {
        try (InputStream in = CameraReference.class.getResourceAsStream("/dev/egopose/camera/camera_reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
