package dev.egopose.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/** Writes small gt_anno files in the test split's format (boxes and metadata only), REFERENCE.md section 1. */
final class GtAnnoJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();

    /**
     * Adds one frame record.
     *
     * @param name  the take name for the metadata; null = no metadata
     * @param right [x1, y1, x2, y2] or null for {@code []}
     * @param left  [x1, y1, x2, y2] or null for {@code []}
     */
    GtAnnoJson frame(String uid, String name, int frame, double[] right, double[] left) {
        ObjectNode take = root.has(uid) ? (ObjectNode) root.get(uid) : root.putObject(uid);
        ObjectNode record = take.putObject(Integer.toString(frame));
        box(record.putArray("right_hand_bbox"), right);
        box(record.putArray("left_hand_bbox"), left);
        if (name != null) {
            ObjectNode meta = record.putObject("metadata");
            meta.put("take_uid", uid);
            meta.put("take_name", name);
            meta.put("frame_number", frame);
        }
        return this;
    }

    private static void box(ArrayNode array, double[] box) {
        if (box != null) {
            for (double v : box) {
                array.add(v);
            }
        }
    }

    Path write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), root);
        return file;
    }
}
