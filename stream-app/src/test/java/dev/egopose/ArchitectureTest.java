package dev.egopose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ARCHITECTURE.md, checked on the main sources' text (no extra dependency):
 * OpenCV stays in camera, crop, detect, render, synth and cli; TFLite in detect; DJL in model.djl and cli; Kafka Streams in
 * topology, ops and cli; Micrometer in ops and the JDK's HTTP server in ops, ingest and view; domain uses the JDK only; eval uses neither Kafka, DJL nor OpenCV. Imports
 * (static ones included) and fully qualified names in code both count; comments and string
 * literals do not.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/egopose");

    /** One reference that breaks a rule. */
    record Violation(String file, String reference, String rule) {
        @Override
        public String toString() {
            return file + ": " + reference + " (" + rule + ")";
        }
    }

    /** Checks one source file's references against the rules. */
    static final class ImportRules {
        private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
        private static final Pattern IMPORT = Pattern.compile("\\bimport\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");
        /** A dotted name starting with a lower-case root and containing an upper-case segment or a wildcard: a qualified type. */
        private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])((?:[a-z_][\\w]*\\.)+[A-Z][\\w]*)");
        private static final Pattern LIBRARY_ROOT = Pattern.compile("(?:org|com|ai|nu|io|net|dev|java|javax|jdk)\\.");
        private static final String ROOT = "dev.egopose";

        private static final List<String> OPENCV = List.of("org.opencv.", "nu.pattern.");
        private static final List<String> DJL = List.of("ai.djl.");
        private static final List<String> TFLITE = List.of("org.tensorflow.");
        private static final List<String> STREAMS = List.of("org.apache.kafka.streams.");
        private static final List<String> KAFKA = List.of("org.apache.kafka.");
        private static final List<String> MICROMETER = List.of("io.micrometer.");
        private static final List<String> HTTP_SERVER = List.of("com.sun.net.httpserver.");
        private static final List<String> JDK = List.of("java.", "javax.", "jdk.");

        List<Violation> check(String file, String source) {
            String code = stripCommentsAndStrings(source);
            Matcher p = PACKAGE.matcher(code);
            String pkg = p.find() ? p.group(1) : "";
            String local = pkg.equals(ROOT) ? "" : pkg.startsWith(ROOT + ".") ? pkg.substring(ROOT.length() + 1) : pkg;
            code = p.find(0) ? code.substring(p.end()) : code;

            Set<String> references = new LinkedHashSet<>();
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                references.add(imports.group(1));
            }
            String body = IMPORT.matcher(code).replaceAll(" ");
            Matcher qualified = QUALIFIED.matcher(body);
            while (qualified.find()) {
                // only names rooted like a library or the JDK: "variable.CONSTANT" is no reference
                if (LIBRARY_ROOT.matcher(qualified.group(1)).lookingAt()) {
                    references.add(qualified.group(1));
                }
            }

            List<Violation> out = new ArrayList<>();
            for (String ref : references) {
                if (startsWithAny(ref, OPENCV) && !in(local, "camera", "crop", "detect", "render", "synth", "cli")) {
                    out.add(new Violation(file, ref, "OpenCV only in camera, crop, detect, render, synth, cli; this is " + describe(local)));
                }
                if (startsWithAny(ref, TFLITE) && !in(local, "detect")) {
                    out.add(new Violation(file, ref, "TFLite only in detect; this is " + describe(local)));
                }
                if (startsWithAny(ref, DJL) && !in(local, "model.djl", "cli")) {
                    out.add(new Violation(file, ref, "DJL only in model.djl, cli; this is " + describe(local)));
                }
                if (startsWithAny(ref, STREAMS) && !in(local, "topology", "ops", "cli")) {
                    out.add(new Violation(file, ref, "Kafka Streams only in topology, ops, cli; this is " + describe(local)));
                }
                if (startsWithAny(ref, MICROMETER) && !in(local, "ops")) {
                    out.add(new Violation(file, ref, "Micrometer only in ops; this is " + describe(local)));
                }
                if (startsWithAny(ref, HTTP_SERVER) && !in(local, "ops", "ingest", "view")) {
                    out.add(new Violation(file, ref, "the JDK's HTTP server only in ops, ingest and view; this is " + describe(local)));
                }
                if (in(local, "domain")) {
                    boolean ownPackage = ref.startsWith(ROOT + ".domain.");
                    if (ref.startsWith(ROOT + ".") && !ownPackage) {
                        out.add(new Violation(file, ref, "domain uses no other egopose package"));
                    } else if (!ref.startsWith(ROOT + ".") && !startsWithAny(ref, JDK)) {
                        out.add(new Violation(file, ref, "domain uses the JDK only"));
                    }
                }
                if (in(local, "eval") && (startsWithAny(ref, KAFKA) || startsWithAny(ref, DJL) || startsWithAny(ref, OPENCV))) {
                    out.add(new Violation(file, ref, "eval uses neither Kafka, DJL nor OpenCV"));
                }
            }
            return out;
        }

        private static String describe(String local) {
            return local.isEmpty() ? "the root package" : "package " + local;
        }

        private static boolean startsWithAny(String ref, List<String> prefixes) {
            return prefixes.stream().anyMatch(ref::startsWith);
        }

        /** Whether {@code local} is one of the packages or below one of them. */
        private static boolean in(String local, String... packages) {
            for (String p : packages) {
                if (local.equals(p) || local.startsWith(p + ".")) {
                    return true;
                }
            }
            return false;
        }

        /** Replaces comments, string and char literals and text blocks by spaces, keeping everything else. */
        static String stripCommentsAndStrings(String s) {
            StringBuilder out = new StringBuilder(s.length());
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (s.startsWith("//", i)) {
                    int end = s.indexOf('\n', i);
                    i = end < 0 ? s.length() : end;
                    out.append(' ');
                } else if (s.startsWith("/*", i)) {
                    int end = s.indexOf("*/", i + 2);
                    i = end < 0 ? s.length() : end + 2;
                    out.append(' ');
                } else if (s.startsWith("\"\"\"", i)) {
                    int end = s.indexOf("\"\"\"", i + 3);
                    i = end < 0 ? s.length() : end + 3;
                    out.append(" \"\" ");
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < s.length() && s.charAt(j) != c) {
                        j += s.charAt(j) == '\\' ? 2 : 1;
                    }
                    i = Math.min(j + 1, s.length());
                    out.append(' ').append(c).append(c).append(' ');
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }
    }

    private final ImportRules rules = new ImportRules();

    @Test
    void mainSourcesFollowThePackageRules() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "main sources not found at " + MAIN.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() > 50, "expected the whole main tree, found " + files.size() + " files");
        assertTrue(files.stream().anyMatch(f -> f.endsWith(Path.of("domain", "HandBox.java"))), "domain sources scanned");
        List<Violation> violations = new ArrayList<>();
        for (Path f : files) {
            violations.addAll(rules.check(MAIN.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8)));
        }
        assertTrue(violations.isEmpty(), () -> violations.size() + " package rule violations:\n"
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void theScanSeesTheImportsThatAreAllowed() throws IOException {
        // the checker must actually find references in real files, or an empty result proves nothing
        String camera = Files.readString(MAIN.resolve("crop/HandCropper.java"));
        assertTrue(camera.contains("import org.opencv."), "fixture assumption: HandCropper imports OpenCV");
        String moved = camera.replaceFirst("package dev\\.egopose\\.crop;", "package dev.egopose.sink;");
        assertTrue(rules.check("HandCropper.java", moved).stream().anyMatch(v -> v.reference().startsWith("org.opencv.")));
    }

    @Test
    void violationsAreListedWithFileAndImport() {
        String source = """
                /* import org.opencv.core.Mat; in a comment does not count */
                package dev.egopose.eval;

                import java.util.List;
                import org.apache.kafka.clients.consumer.Consumer;
                import static ai.djl.ndarray.NDArrays.add;
                import dev.egopose.domain.HandSide;

                final class Bad {
                    // org.opencv.core.Mat in a line comment does not count either
                    String text = "org.opencv.core.Mat in a string neither";
                    void run(org.opencv.core.Mat image) { }
                }
                """;
        List<Violation> found = rules.check("eval/Bad.java", source);
        assertEquals(List.of(
                        "eval/Bad.java: org.apache.kafka.clients.consumer.Consumer (eval uses neither Kafka, DJL nor OpenCV)",
                        "eval/Bad.java: ai.djl.ndarray.NDArrays.add (DJL only in model.djl, cli; this is package eval)",
                        "eval/Bad.java: ai.djl.ndarray.NDArrays.add (eval uses neither Kafka, DJL nor OpenCV)",
                        "eval/Bad.java: org.opencv.core.Mat (OpenCV only in camera, crop, detect, render, synth, cli; this is package eval)",
                        "eval/Bad.java: org.opencv.core.Mat (eval uses neither Kafka, DJL nor OpenCV)"),
                found.stream().map(Violation::toString).toList());
    }

    @Test
    void domainUsesTheJdkOnly() {
        String source = """
                package dev.egopose.domain;

                import java.util.Arrays;
                import dev.egopose.domain.HandSide;
                import dev.egopose.config.Settings;
                import com.fasterxml.jackson.databind.JsonNode;

                public record Thing(int x) { }
                """;
        List<String> refs = rules.check("domain/Thing.java", source).stream().map(Violation::reference).toList();
        assertEquals(List.of("dev.egopose.config.Settings", "com.fasterxml.jackson.databind.JsonNode"), refs);
    }

    @Test
    void eachLibraryStaysInItsPackages() {
        String template = """
                package dev.egopose.%s;
                import org.opencv.core.Mat;
                import ai.djl.Model;
                import org.apache.kafka.streams.KafkaStreams;
                import org.apache.kafka.clients.producer.Producer;
                class X { }
                """;
        assertEquals(Set.of("ai.djl.Model", "org.apache.kafka.streams.KafkaStreams"), refs(template.formatted("crop")));
        assertEquals(Set.of("ai.djl.Model", "org.apache.kafka.streams.KafkaStreams"), refs(template.formatted("synth.scenes")));
        assertEquals(Set.of("org.opencv.core.Mat", "org.apache.kafka.streams.KafkaStreams"), refs(template.formatted("model.djl")));
        assertEquals(Set.of("org.opencv.core.Mat", "ai.djl.Model", "org.apache.kafka.streams.KafkaStreams"), refs(template.formatted("model")));
        assertEquals(Set.of("org.opencv.core.Mat", "ai.djl.Model"), refs(template.formatted("topology")));
        assertEquals(Set.of("org.opencv.core.Mat", "ai.djl.Model"), refs(template.formatted("ops")));
        assertEquals(Set.of(), refs(template.formatted("cli")));
        assertEquals(Set.of("org.opencv.core.Mat", "ai.djl.Model", "org.apache.kafka.streams.KafkaStreams"), refs(template.formatted("replay")));
        // a package whose name merely starts like an allowed one is not inside it
        assertEquals(Set.of("org.opencv.core.Mat", "ai.djl.Model", "org.apache.kafka.streams.KafkaStreams"), refs(template.formatted("cropping")));
    }

    @Test
    void metricsAndHttpServingStayInOps() {
        String template = """
                package dev.egopose.%s;
                import io.micrometer.core.instrument.MeterRegistry;
                import com.sun.net.httpserver.HttpServer;
                class M { }
                """;
        assertEquals(Set.of(), refs(template.formatted("ops")));
        assertEquals(Set.of("io.micrometer.core.instrument.MeterRegistry", "com.sun.net.httpserver.HttpServer"), refs(template.formatted("topology")));
        assertEquals(Set.of("io.micrometer.core.instrument.MeterRegistry", "com.sun.net.httpserver.HttpServer"), refs(template.formatted("cli")));
    }

    @Test
    void fullyQualifiedUseWithoutImportCounts() {
        String source = """
                package dev.egopose.replay;
                class Y {
                    void go() { nu.pattern.OpenCV.loadLocally(); var s = (org.apache.kafka.streams.KafkaStreams) null; }
                }
                """;
        assertEquals(Set.of("nu.pattern.OpenCV", "org.apache.kafka.streams.KafkaStreams"), refs(source));
    }

    @Test
    void aFieldOfAVariableIsNoReference() {
        String source = """
                package dev.egopose.domain;
                class Z {
                    int go(Z other) { return other.LIMIT + com.fasterxml.jackson.core.JsonToken.values().length; }
                    static final int LIMIT = 1;
                }
                """;
        assertEquals(Set.of("com.fasterxml.jackson.core.JsonToken"), refs(source));
    }

    private Set<String> refs(String source) {
        return rules.check("X.java", source).stream().map(Violation::reference).collect(Collectors.toSet());
    }
}
