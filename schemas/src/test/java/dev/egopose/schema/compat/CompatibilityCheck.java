package dev.egopose.schema.compat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** The policy of COMPATIBILITY.md as code: BACKWARD, i.e. the current schema reads what every older one wrote. */
final class CompatibilityCheck {
    private CompatibilityCheck() {}

    /**
     * Problems that keep {@code reader} (the current version of {@code name}) from reading data written
     * with {@code writer} (the version called {@code writerLabel}); empty when it can.
     */
    static List<String> backwardProblems(String name, Schema reader, Schema writer, String writerLabel) {
        List<String> problems = new ArrayList<>();
        if (!reader.getFullName().equals(writer.getFullName())) {
            problems.add(name + ": the current schema is " + reader.getFullName() + " but " + writerLabel + " is "
                    + writer.getFullName() + " (renaming needs an alias)");
        }
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            for (Incompatibility i : result.getResult().getIncompatibilities()) {
                Schema writerPart = i.getWriterFragment();
                String writerHas = i.getType() == SchemaIncompatibilityType.MISSING_UNION_BRANCH && writerPart != null
                        ? " (the writer's branch is " + (isNamed(writerPart) ? writerPart.getFullName() : writerPart.getType().getName()) + ")"
                        : "";
                problems.add(name + " cannot read data written with " + writerLabel + ": " + i.getType()
                        + " at " + readablePath(reader, i.getLocation()) + " (" + i.getLocation() + "): "
                        + i.getMessage() + writerHas + hint(i.getType()));
            }
            if (result.getResult().getIncompatibilities().isEmpty()) {
                problems.add(name + " cannot read data written with " + writerLabel + ": " + result.getDescription());
            }
        }
        return problems;
    }

    /** Turns a JSON-pointer location such as {@code /fields/2/type} into {@code HandPoses.frameNumber}. */
    static String readablePath(Schema root, String pointer) {
        StringBuilder path = new StringBuilder(root.getName());
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return path.toString();
        }
        Schema schema = root;
        Schema.Field field = null;
        String[] tokens = pointer.split("/");
        try {
            for (int t = 1; t < tokens.length; t++) {
                String token = tokens[t];
                switch (token) {
                    case "fields" -> {
                        int index = Integer.parseInt(tokens[++t]);
                        field = schema.getFields().get(index);
                        path.append('.').append(field.name());
                    }
                    case "type" -> {
                        if (field != null) {
                            schema = field.schema();
                            field = null;
                        }
                    }
                    case "items" -> {
                        schema = schema.getElementType();
                        path.append("[]");
                    }
                    case "values" -> {
                        schema = schema.getValueType();
                        path.append("{}");
                    }
                    default -> {
                        if (schema.getType() == Schema.Type.UNION && token.chars().allMatch(Character::isDigit)) {
                            int index = Integer.parseInt(token);
                            if (index < schema.getTypes().size()) {
                                schema = schema.getTypes().get(index);
                                path.append("<").append(isNamed(schema) ? schema.getName() : schema.getType().getName()).append(">");
                            } else {
                                path.append("<branch ").append(index).append(">");
                            }
                        } else {
                            path.append(" (").append(token).append(")");
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            return path + "?";
        }
        return path.toString();
    }

    private static String hint(SchemaIncompatibilityType type) {
        return switch (type) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> " -- a field added since then needs a default";
            case TYPE_MISMATCH -> " -- only int->long->float->double and string<->bytes promotions read old data";
            case MISSING_ENUM_SYMBOLS -> " -- enum symbols may be added, not removed";
            case MISSING_UNION_BRANCH -> " -- union branches may be added, not removed";
            case NAME_MISMATCH -> " -- a renamed type needs its old name as an alias";
            case FIXED_SIZE_MISMATCH -> " -- a fixed type cannot change size";
            default -> "";
        };
    }

    private static boolean isNamed(Schema s) {
        return s.getType() == Schema.Type.RECORD || s.getType() == Schema.Type.ENUM || s.getType() == Schema.Type.FIXED;
    }
}
