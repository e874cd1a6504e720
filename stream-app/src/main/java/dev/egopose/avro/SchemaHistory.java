package dev.egopose.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The earlier wire versions of a self-contained schema, as the schemas jar ships them
 * ({@code dev/egopose/schema/compat/Name.vN.avsc}), so that a reader decodes values written before
 * the schema last changed.
 */
final class SchemaHistory {
    private SchemaHistory() {}

    /** Every snapshot of {@code current} whose wire form differs from it, oldest first. */
    static List<Schema> older(Schema current) {
        String currentForm = SchemaNormalization.toParsingForm(current);
        List<Schema> out = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = "/dev/egopose/schema/compat/" + current.getName() + ".v" + version + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return out;
                }
                Schema snapshot = new Schema.Parser().parse(in);
                if (!SchemaNormalization.toParsingForm(snapshot).equals(currentForm)) {
                    out.add(snapshot);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the schema snapshot " + resource, e);
            }
        }
    }
}
