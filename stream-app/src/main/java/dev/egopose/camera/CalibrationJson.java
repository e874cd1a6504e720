package dev.egopose.camera;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the Aria RGB camera ({@code camera-rgb}) from projectaria calibration JSON. Accepted shapes:
 * <ul>
 *   <li>a device calibration: an object with {@code CameraCalibrations[]} (the factory calibration, and
 *       the per-take {@code aria_calib_json/<take>.json} of Ego-Exo4D's data preparation, which is the
 *       same format with f, cu, cv already rescaled to 1408);</li>
 *   <li>a bare list of camera calibrations {@code [{Label, Projection}, ...]};</li>
 *   <li>a single camera calibration object {@code {Label?, Projection}} (its label, when present, must
 *       be {@code camera-rgb}).</li>
 * </ul>
 * The format carries no image size. {@link #read(Path)} infers it from the principal point, which
 * lies near the image centre: about 1440 for the 2880x2880 factory size, about 704 for 1408x1408
 * (Ego-Exo4D per-take files). Pass the size explicitly when that is ambiguous.
 */
public final class CalibrationJson {
    public static final String RGB_LABEL = "camera-rgb";
    public static final String MODEL_NAME = "FisheyeRadTanThinPrism";
    private static final int[] KNOWN_SIZES = {RgbCalibration.FULL_SENSOR, RgbCalibration.RECORDING};
    /** How far (as a fraction of the size) the principal point may sit from the centre for inference. */
    private static final double CENTRE_TOLERANCE = 0.1;

    private final JsonMapper mapper = JsonMapper.builder()
            // Python's json.dump writes NaN/Infinity; read them so they are refused with a clear message.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Reads {@code file}, inferring the calibrated image size from the principal point. */
    public RgbCalibration read(Path file) {
        return inferSize(readModel(file), file.toString());
    }

    /** Reads {@code file} for a calibration known to be for {@code width x height}. */
    public RgbCalibration read(Path file, int width, int height) {
        return new RgbCalibration(readModel(file), width, height);
    }

    /** Parses JSON text; {@code source} names it in error messages. */
    public RgbCalibration parse(String json, String source) {
        return inferSize(parseModel(json, source), source);
    }

    public RgbCalibration parse(String json, String source, int width, int height) {
        return new RgbCalibration(parseModel(json, source), width, height);
    }

    /**
     * The RGB camera's pose in the device frame ({@code camera-rgb.T_Device_Camera}: {@code Translation}
     * [x, y, z], {@code UnitQuaternion} [w, [x, y, z]]), if the file has one.
     */
    public Optional<RigidTransform> readDeviceFromCamera(Path file) {
        return parseDeviceFromCamera(readText(file), file.toString());
    }

    public Optional<RigidTransform> parseDeviceFromCamera(String json, String source) {
        JsonNode pose = findRgbCamera(tree(json, source), source).get("T_Device_Camera");
        if (pose == null || pose.isNull()) {
            return Optional.empty();
        }
        String field = RGB_LABEL + ".T_Device_Camera";
        JsonNode t = pose.get("Translation");
        JsonNode q = pose.get("UnitQuaternion");
        if (t == null || !t.isArray() || t.size() != 3 || q == null || !q.isArray() || q.size() != 2 || !q.get(1).isArray() || q.get(1).size() != 3) {
            throw new CalibrationException(source + ": " + field + " must be {\"Translation\": [x, y, z], \"UnitQuaternion\": [w, [x, y, z]]}");
        }
        double[] rotation = {q.get(0).asDouble(), q.get(1).get(0).asDouble(), q.get(1).get(1).asDouble(), q.get(1).get(2).asDouble()};
        double[] translation = {t.get(0).asDouble(), t.get(1).asDouble(), t.get(2).asDouble()};
        try {
            return Optional.of(new RigidTransform(rotation, translation));
        } catch (IllegalArgumentException e) {
            throw new CalibrationException(source + ": " + field + ": " + e.getMessage(), e);
        }
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CalibrationException("cannot read calibration file " + file + ": " + e.getMessage(), e);
        }
    }

    private JsonNode tree(String json, String source) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CalibrationException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new CalibrationException(source + ": empty calibration file");
        }
        return root;
    }

    private Fisheye624 readModel(Path file) {
        return parseModel(readText(file), file.toString());
    }

    private Fisheye624 parseModel(String json, String source) {
        return modelOf(findRgbCamera(tree(json, source), source), source);
    }

    private static JsonNode findRgbCamera(JsonNode root, String source) {
        JsonNode cameras;
        String where;
        if (root.isArray()) {
            cameras = root;
            where = "top-level list";
        } else if (root.isObject() && root.has("CameraCalibrations")) {
            cameras = root.get("CameraCalibrations");
            where = "CameraCalibrations";
            if (!cameras.isArray()) {
                throw new CalibrationException(source + ": field CameraCalibrations is not a list");
            }
        } else if (root.isObject() && root.has("Projection")) {
            JsonNode label = root.get("Label");
            if (label != null && !RGB_LABEL.equals(label.asText())) {
                throw new CalibrationException(source + ": the camera calibration is for Label '" + label.asText()
                        + "', expected '" + RGB_LABEL + "'");
            }
            return root;
        } else {
            throw new CalibrationException(source + ": neither a device calibration (no field CameraCalibrations)"
                    + " nor a camera calibration (no field Projection)");
        }
        List<String> labels = new ArrayList<>();
        JsonNode found = null;
        for (JsonNode camera : cameras) {
            String label = camera.path("Label").asText("");
            labels.add(label);
            if (RGB_LABEL.equals(label)) {
                if (found != null) {
                    throw new CalibrationException(source + ": " + where + " holds more than one '" + RGB_LABEL + "'");
                }
                found = camera;
            }
        }
        if (found == null) {
            throw new CalibrationException(source + ": " + where + " has no camera with Label '" + RGB_LABEL
                    + "' (labels found: " + labels + ")");
        }
        return found;
    }

    private static Fisheye624 modelOf(JsonNode camera, String source) {
        String field = RGB_LABEL + ".Projection";
        JsonNode projection = camera.get("Projection");
        if (projection == null || !projection.isObject()) {
            throw new CalibrationException(source + ": " + field + " is missing");
        }
        JsonNode name = projection.get("Name");
        if (name == null || !name.isTextual()) {
            throw new CalibrationException(source + ": " + field + ".Name is missing");
        }
        if (!MODEL_NAME.equals(name.asText())) {
            throw new CalibrationException(source + ": " + field + ".Name is '" + name.asText()
                    + "', only " + MODEL_NAME + " (Fisheye624) is supported");
        }
        JsonNode params = projection.get("Params");
        if (params == null || !params.isArray()) {
            throw new CalibrationException(source + ": " + field + ".Params is missing or not a list");
        }
        if (params.size() != Fisheye624.PARAM_COUNT) {
            throw new CalibrationException(source + ": " + field + ".Params has " + params.size() + " values, "
                    + MODEL_NAME + " needs " + Fisheye624.PARAM_COUNT + " [f, cu, cv, k0..k5, p0, p1, s0..s3]");
        }
        double[] values = new double[Fisheye624.PARAM_COUNT];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = params.get(i);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new CalibrationException(source + ": " + field + ".Params[" + i + "] (" + Fisheye624.paramName(i)
                        + ") is not a finite number: " + value);
            }
            values[i] = value.asDouble();
        }
        try {
            return new Fisheye624(values);
        } catch (CalibrationException e) {
            throw new CalibrationException(source + ": " + field + ": " + e.getMessage(), e);
        }
    }

    private static RgbCalibration inferSize(Fisheye624 model, String source) {
        int match = -1;
        for (int size : KNOWN_SIZES) {
            double centre = (size - 1) / 2.0;
            if (Math.abs(model.cu() - centre) <= CENTRE_TOLERANCE * size
                    && Math.abs(model.cv() - centre) <= CENTRE_TOLERANCE * size) {
                if (match >= 0) {
                    match = -2;
                    break;
                }
                match = size;
            }
        }
        if (match < 0) {
            throw new CalibrationException(source + ": cannot tell which image size the camera-rgb calibration is for from its"
                    + " principal point (" + model.cu() + ", " + model.cv() + "); expected near 1439.5 (2880x2880 factory)"
                    + " or 703.5 (1408x1408 Ego-Exo4D); give the size explicitly");
        }
        return new RgbCalibration(model, match, match);
    }
}
