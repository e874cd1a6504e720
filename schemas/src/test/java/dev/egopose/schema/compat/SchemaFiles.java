package dev.egopose.schema.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Reads the current {@code .avsc} files (which may refer to each other) and the version snapshots. */
final class SchemaFiles {
    static final Pattern SNAPSHOT_NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\.v([0-9]+)\\.avsc");

    private SchemaFiles() {}

    /** The module directory: Surefire sets {@code basedir}; otherwise the working directory. */
    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", "."));
    }

    /**
     * Parses every {@code .avsc} under {@code dir}, in whatever order their references allow, and
     * returns each file's top-level schema by simple name (sorted).
     */
    static Map<String, Schema> parseCurrent(Path dir) {
        List<Path> pending = list(dir, "**.avsc");
        if (pending.isEmpty()) {
            throw new IllegalStateException("no .avsc files under " + dir.toAbsolutePath());
        }
        Map<String, Schema> namedTypes = new HashMap<>();
        Map<String, Schema> byName = new TreeMap<>();
        Map<Path, String> lastError = new HashMap<>();
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (Path file : new ArrayList<>(pending)) {
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(namedTypes.values());
                try {
                    Schema schema = parser.parse(file.toFile());
                    namedTypes.putAll(parser.getTypes());
                    Schema previous = byName.put(schema.getName(), schema);
                    if (previous != null) {
                        throw new IllegalStateException("two .avsc files define " + schema.getName() + ": " + file);
                    }
                    pending.remove(file);
                    progress = true;
                } catch (AvroRuntimeException e) {
                    // an undefined name (defined in a file not parsed yet) or a real error, reported below
                    lastError.put(file, e.getMessage());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
        }
        if (!pending.isEmpty()) {
            StringBuilder why = new StringBuilder("cannot parse these schema files:");
            for (Path file : pending) {
                why.append("\n  ").append(dir.relativize(file)).append(": ").append(lastError.get(file));
            }
            throw new IllegalStateException(why.toString());
        }
        return byName;
    }

    /** A snapshot file: {@code <Name>.v<N>.avsc}, self-contained. */
    record Snapshot(String name, int version, Path file, Schema schema) {
        String label() {
            return file.getFileName().toString();
        }
    }

    /** Every snapshot under {@code dir}, by schema name, oldest version first. */
    static Map<String, List<Snapshot>> parseSnapshots(Path dir) {
        Map<String, List<Snapshot>> byName = new TreeMap<>();
        for (Path file : list(dir, "*.avsc")) {
            Matcher m = SNAPSHOT_NAME.matcher(file.getFileName().toString());
            if (!m.matches()) {
                throw new IllegalStateException("snapshot " + file + " is not named <Name>.v<N>.avsc");
            }
            Schema schema;
            try {
                schema = new Schema.Parser().parse(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            } catch (SchemaParseException e) {
                throw new IllegalStateException("snapshot " + file + " does not parse on its own (snapshots must be"
                        + " self-contained, with every named type inlined): " + e.getMessage(), e);
            }
            if (!schema.getName().equals(m.group(1))) {
                throw new IllegalStateException("snapshot " + file + " holds " + schema.getName() + ", not " + m.group(1));
            }
            byName.computeIfAbsent(m.group(1), k -> new ArrayList<>())
                    .add(new Snapshot(m.group(1), Integer.parseInt(m.group(2)), file, schema));
        }
        byName.values().forEach(list -> list.sort((a, b) -> Integer.compare(a.version(), b.version())));
        return byName;
    }

    private static List<Path> list(Path dir, String glob) {
        var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> walk = Files.walk(dir)) {
            return new ArrayList<>(walk.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(dir.relativize(p)) || matcher.matches(p.getFileName()))
                    .sorted()
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.toAbsolutePath(), e);
        }
    }
}
