package dev.egopose.egoexo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.Joints3d;
import java.util.Optional;

/**
 * Reads the fields of one frame record, knowing where it is (file, take, frame) so that every error
 * names the exact field. {@code []} or a missing field means "absent".
 */
final class RecordReader {
    private final String source;
    private final String take;
    private final String frame;

    RecordReader(String source, String take, String frame) {
        this.source = source;
        this.take = take;
        this.frame = frame;
    }

    EgoExoFormatException error(String field, String problem) {
        return new EgoExoFormatException(source, take, frame, field, problem, null);
    }

    /**
     * A 21-joint array of {@code dims}-vectors, flattened; empty for {@code []} or a missing field.
     * With {@code nullIsNaN}, a JSON null coordinate reads as NaN (gt_anno marks invalid joints so).
     */
    Optional<double[]> joints(JsonNode record, String field, int dims, boolean nullIsNaN) {
        JsonNode node = record.get(field);
        if (node == null || node.isArray() && node.isEmpty()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw error(field, "expected an array of " + Joints3d.JOINTS + " joints or [], found " + kind(node));
        }
        if (node.size() != Joints3d.JOINTS) {
            throw error(field, "expected " + Joints3d.JOINTS + " joints or [], found " + node.size());
        }
        double[] flat = new double[Joints3d.JOINTS * dims];
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            JsonNode row = node.get(j);
            if (!row.isArray() || row.size() != dims) {
                throw error(field, "joint " + j + " must be an array of " + dims + " numbers, found " + (row.isArray() ? row.size() + " values" : kind(row)));
            }
            for (int d = 0; d < dims; d++) {
                JsonNode value = row.get(d);
                if (value.isNumber()) {
                    flat[j * dims + d] = value.doubleValue();
                } else if (value.isNull() && nullIsNaN) {
                    flat[j * dims + d] = Double.NaN;
                } else {
                    throw error(field, "joint " + j + " coordinate " + d + " must be a number, found " + kind(value));
                }
            }
        }
        return Optional.of(flat);
    }

    /** 21 booleans; empty for {@code []} or a missing field. Numbers are refused: the benchmark indexes with booleans. */
    Optional<JointMask> flags(JsonNode record, String field) {
        JsonNode node = record.get(field);
        if (node == null || node.isArray() && node.isEmpty()) {
            return Optional.empty();
        }
        if (!node.isArray() || node.size() != Joints3d.JOINTS) {
            throw error(field, "expected " + Joints3d.JOINTS + " booleans or [], found " + (node.isArray() ? node.size() + " values" : kind(node)));
        }
        boolean[] flags = new boolean[Joints3d.JOINTS];
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            JsonNode value = node.get(j);
            if (!value.isBoolean()) {
                throw error(field, "joint " + j + " must be true or false, found " + kind(value));
            }
            flags[j] = value.booleanValue();
        }
        return Optional.of(new JointMask(flags));
    }

    /** {@code [x1, y1, x2, y2]}; empty for {@code []} or a missing field. */
    Optional<HandBox> box(JsonNode record, String field) {
        JsonNode node = record.get(field);
        if (node == null || node.isArray() && node.isEmpty()) {
            return Optional.empty();
        }
        if (!node.isArray() || node.size() != 4) {
            throw error(field, "expected [x1, y1, x2, y2] or [], found " + (node.isArray() ? node.size() + " values" : kind(node)));
        }
        double[] c = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!node.get(i).isNumber()) {
                throw error(field, "corner value " + i + " must be a number, found " + kind(node.get(i)));
            }
            c[i] = node.get(i).doubleValue();
        }
        try {
            return Optional.of(new HandBox(c[0], c[1], c[2], c[3]));
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
    }

    static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "string \"" + node.textValue() + "\"";
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
