package dev.egopose.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.avro.AvroMapping;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.RigidTransform;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.ImageHeader;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import dev.egopose.schema.TrackedHand;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's {@code meta} JSON and {@code image} bytes into a {@link Frame}, with the checks
 * of the processor that are cheap here (so a headset learns at once what is wrong): the image header
 * (JPEG or PNG, whole, within the pixel limit; its size becomes the frame's), take uid, frame number,
 * camera, boxes, hand tracking. The meta fields (snake_case):
 * <pre>
 * take_uid (required), take_name, frame_number (required, &gt;= 0), capture_time_ns (default: now),
 * orientation ("sensor" | "rotated_90_cw"),
 * camera: {"fisheye624": {"params": [15 numbers], "calib_width", "calib_height"}} | {"pinhole": {"fx", "fy", "cx", "cy"}},
 *   or calibration: a projectaria calibration JSON object (camera-rgb; also gives device_from_camera),
 * device_from_camera: {"translation": [x, y, z], "rotation": [w, x, y, z]},
 * boxes: {"left": [x1, y1, x2, y2], "right": [...]} (undistorted 512 pixels),
 * hand_tracking: [{"side", "confidence", "landmarks": [63]} or {"side", "confidence", "wrist": [3], "palm": [3]}]
 * </pre>
 */
final class FrameRequests {
    private static final Set<String> FIELDS = Set.of("take_uid", "take_name", "frame_number", "capture_time_ns", "orientation",
            "camera", "calibration", "device_from_camera", "boxes", "hand_tracking");

    private static final int CALIBRATIONS_REMEMBERED = 64;

    private final ObjectMapper json = new ObjectMapper();
    private final CalibrationJson calibrations = new CalibrationJson();
    private final Map<String, FromCalibration> parsed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FromCalibration> eldest) {
            return size() > CALIBRATIONS_REMEMBERED;
        }
    };
    private final long maxPixels;

    FrameRequests(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    Frame frame(Map<String, byte[]> parts) {
        byte[] metaBytes = parts.get("meta");
        byte[] image = parts.get("image");
        if (metaBytes == null) {
            throw bad("meta", "the request has no 'meta' part (JSON)");
        }
        if (image == null || image.length == 0) {
            throw bad("image", "the request has no 'image' part (JPEG or PNG bytes)");
        }
        JsonNode meta;
        try {
            meta = json.readTree(metaBytes);
        } catch (JsonProcessingException e) {
            throw bad("meta", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("meta", "unreadable: " + e.getMessage());
        }
        if (meta == null || !meta.isObject()) {
            throw bad("meta", "must be a JSON object");
        }
        for (Iterator<String> names = meta.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw bad("meta." + name, "unknown field; known: " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        ImageHeader header;
        try {
            header = ImageHeader.read(image);
        } catch (ImageHeader.InvalidImageException e) {
            throw bad("image", e.getMessage());
        }
        if (header.pixels() > maxPixels) {
            throw bad("image", header.width() + "x" + header.height() + " is more than image.max.pixels = " + maxPixels);
        }
        Frame.Builder frame = Frame.newBuilder()
                .setTakeUid(text(meta, "take_uid"))
                .setTakeName(meta.path("take_name").asText(""))
                .setFrameNumber(number(meta, "frame_number", 0, Long.MAX_VALUE))
                .setCaptureTimeNs(meta.has("capture_time_ns") ? number(meta, "capture_time_ns", 0, Long.MAX_VALUE)
                        : System.currentTimeMillis() * 1_000_000L)
                .setImage(new InlineImage(header.format() == ImageHeader.Format.PNG ? ImageEncoding.PNG : ImageEncoding.JPEG, ByteBuffer.wrap(image)))
                .setWidth(header.width())
                .setHeight(header.height())
                .setOrientation(orientation(meta))
                .setHands(boxes(meta.get("boxes")))
                .setHandTracking(tracking(meta.get("hand_tracking")));
        camera(meta, frame);
        if (!frame.getHandTracking().isEmpty() && frame.getDeviceFromCamera() == null) {
            throw bad("meta.device_from_camera", "hand_tracking needs the camera's pose: device_from_camera, or a calibration with T_Device_Camera");
        }
        return frame.build();
    }

    private static Orientation orientation(JsonNode meta) {
        String value = meta.path("orientation").asText("sensor").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "sensor" -> Orientation.SENSOR;
            case "rotated_90_cw" -> Orientation.ROTATED_90_CW;
            default -> throw bad("meta.orientation", "must be sensor or rotated_90_cw, got '" + value + "'");
        };
    }

    private void camera(JsonNode meta, Frame.Builder frame) {
        JsonNode camera = meta.get("camera");
        JsonNode calibration = meta.get("calibration");
        if ((camera == null) == (calibration == null)) {
            throw bad("meta.camera", "give exactly one of camera (fisheye624 or pinhole) and calibration (projectaria JSON)");
        }
        if (calibration != null) {
            FromCalibration known = fromCalibration(calibration.toString());
            frame.setCamera(known.camera());
            if (known.deviceFromCamera() != null) {
                frame.setDeviceFromCamera(known.deviceFromCamera());
            }
        } else if (camera.has("fisheye624")) {
            JsonNode f = camera.get("fisheye624");
            double[] params = doubles(f.get("params"), "meta.camera.fisheye624.params", 15);
            frame.setCamera(new Fisheye624(Arrays.stream(params).boxed().toList(),
                    (int) number(f, "calib_width", 1, 100_000), (int) number(f, "calib_height", 1, 100_000)));
        } else if (camera.has("pinhole")) {
            JsonNode p = camera.get("pinhole");
            String at = "meta.camera.pinhole.";
            frame.setCamera(new Pinhole(finite(p, at, "fx"), finite(p, at, "fy"), finite(p, at, "cx"), finite(p, at, "cy")));
        } else {
            throw bad("meta.camera", "must hold fisheye624 or pinhole");
        }
        JsonNode pose = meta.get("device_from_camera");
        if (pose != null) {
            try {
                frame.setDeviceFromCamera(avro(new RigidTransform(doubles(pose.get("rotation"), "meta.device_from_camera.rotation", 4),
                        doubles(pose.get("translation"), "meta.device_from_camera.translation", 3))));
            } catch (IllegalArgumentException e) {
                throw bad("meta.device_from_camera", e.getMessage());
            }
        }
    }

    /** What a calibration JSON gives a frame; {@code deviceFromCamera} null when it has no T_Device_Camera. */
    private record FromCalibration(Fisheye624 camera, dev.egopose.schema.RigidTransform deviceFromCamera) {}

    /**
     * The camera and pose of a calibration, parsed once: a headset sends the same calibration with
     * every frame. The Avro values are shared between frames, so they are never modified.
     */
    private FromCalibration fromCalibration(String text) {
        synchronized (parsed) {
            FromCalibration known = parsed.get(text);
            if (known != null) {
                return known;
            }
        }
        FromCalibration made;
        try {
            RgbCalibration rgb = calibrations.parse(text, "meta.calibration");
            made = new FromCalibration(new Fisheye624(Arrays.stream(rgb.model().params()).boxed().toList(), rgb.width(), rgb.height()),
                    calibrations.parseDeviceFromCamera(text, "meta.calibration").map(FrameRequests::avro).orElse(null));
        } catch (IllegalArgumentException e) {
            throw bad("meta.calibration", e.getMessage());
        }
        synchronized (parsed) {
            parsed.put(text, made);
        }
        return made;
    }

    private static dev.egopose.schema.RigidTransform avro(RigidTransform pose) {
        return new dev.egopose.schema.RigidTransform(Arrays.stream(pose.translation()).boxed().toList(), Arrays.stream(pose.rotation()).boxed().toList());
    }

    private static List<dev.egopose.schema.HandBox> boxes(JsonNode boxes) {
        List<dev.egopose.schema.HandBox> out = new ArrayList<>();
        if (boxes == null || boxes.isNull()) {
            return out;
        }
        if (!boxes.isObject()) {
            throw bad("meta.boxes", "must be an object {\"left\": [x1, y1, x2, y2], \"right\": [...]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = boxes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            HandSide side = side(e.getKey(), "meta.boxes." + e.getKey());
            double[] c = doubles(e.getValue(), "meta.boxes." + e.getKey(), 4);
            try {
                out.add(AvroMapping.toAvro(side, new HandBox(c[0], c[1], c[2], c[3])));
            } catch (IllegalArgumentException ex) {
                throw bad("meta.boxes." + e.getKey(), ex.getMessage());
            }
        }
        return out;
    }

    private static List<TrackedHand> tracking(JsonNode tracking) {
        List<TrackedHand> out = new ArrayList<>();
        if (tracking == null || tracking.isNull()) {
            return out;
        }
        if (!tracking.isArray()) {
            throw bad("meta.hand_tracking", "must be a list of tracked hands");
        }
        Set<HandSide> seen = EnumSet.noneOf(HandSide.class);
        for (int i = 0; i < tracking.size(); i++) {
            JsonNode hand = tracking.get(i);
            String where = "meta.hand_tracking[" + i + "]";
            HandSide side = side(hand.path("side").asText(""), where + ".side");
            if (!seen.add(side)) {
                throw bad(where + ".side", "two tracked " + side.name().toLowerCase(Locale.ROOT) + " hands");
            }
            double confidence = finite(hand, where + ".", "confidence");
            TrackedHand.Builder b = TrackedHand.newBuilder().setSide(dev.egopose.schema.HandSide.valueOf(side.name())).setConfidence(confidence);
            if (hand.has("landmarks")) {
                b.setLandmarks(boxed(doubles(hand.get("landmarks"), where + ".landmarks", 63)));
            } else if (hand.has("wrist") && hand.has("palm")) {
                b.setWrist(boxed(doubles(hand.get("wrist"), where + ".wrist", 3))).setPalm(boxed(doubles(hand.get("palm"), where + ".palm", 3)));
            } else {
                throw bad(where, "needs landmarks (63 numbers) or wrist and palm (3 each)");
            }
            out.add(b.build());
        }
        return out;
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static HandSide side(String value, String field) {
        return switch (value) {
            case "left" -> HandSide.LEFT;
            case "right" -> HandSide.RIGHT;
            default -> throw bad(field, "hand side must be left or right, got '" + value + "'");
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw bad("meta." + field, "required, a non-empty string");
        }
        return v.asText();
    }

    private static long number(JsonNode node, String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw bad("meta." + field, "required, an integer between " + min + " and " + max + (v == null ? "" : ", got " + v));
        }
        return v.asLong();
    }

    private static double finite(JsonNode node, String prefix, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw bad(prefix + field, "required, a finite number" + (v == null ? "" : ", got " + v));
        }
        return v.asDouble();
    }

    private static double[] doubles(JsonNode array, String field, int count) {
        if (array == null || !array.isArray() || array.size() != count) {
            throw bad(field, "must be a list of " + count + " numbers" + (array == null ? "" : ", got " + (array.isArray() ? array.size() + " values" : array)));
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            if (!array.get(i).isNumber() || !Double.isFinite(array.get(i).asDouble())) {
                throw bad(field + "[" + i + "]", "must be a finite number, got " + array.get(i));
            }
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static BadRequestException bad(String field, String reason) {
        return new BadRequestException(400, field, field + ": " + reason);
    }
}
