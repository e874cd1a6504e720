package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static String resource(String name) throws URISyntaxException {
        return Path.of(EvaluateCommandTest.class.getResource("/eval/" + name).toURI()).toString();
    }

    @Test
    void jsonOutputCarriesTheReferenceNumbers() throws Exception {
        int code = run("evaluate", "--pred", resource("pred_offset.json"), "--gt", resource("gt.json"), "--offset", "--json");
        assertEquals(0, code, err.toString());
        JsonNode actual = new ObjectMapper().readTree(out.toString());
        JsonNode expected = new ObjectMapper().readTree(Path.of(resource("expected.json")).toFile()).get("pred_offset.json --offset");
        assertEquals(expected.get("hands").asInt(), actual.get("hands").asInt());
        assertEquals(expected.get("mpjpe_mm").asDouble(), actual.get("mpjpe_mm").asDouble(), 1e-6);
        assertEquals(expected.get("pa_mpjpe_mm").asDouble(), actual.get("pa_mpjpe_mm").asDouble(), 1e-6);
        assertEquals(expected.get("by_side").get("left").get("mpjpe_mm").asDouble(),
                actual.get("by_side").get("left").get("mpjpe_mm").asDouble(), 1e-6);
        assertEquals(expected.get("by_take").size(), actual.get("by_take").size());
        String someTake = expected.get("by_take").fieldNames().next();
        assertEquals(expected.get("by_take").get(someTake).get("pa_mpjpe_mm").asDouble(),
                actual.get("by_take").get(someTake).get("pa_mpjpe_mm").asDouble(), 1e-6);
        assertTrue(actual.get("skipped") == null, "skipped appears only with --lenient");
    }

    @Test
    void tablePrintsOverallSidesAndTakes() throws Exception {
        assertEquals(0, run("evaluate", "--pred", resource("pred.json"), "--gt", resource("gt.json")), err.toString());
        String text = out.toString();
        JsonNode expected = new ObjectMapper().readTree(Path.of(resource("expected.json")).toFile()).get("pred.json");
        String overall = String.format(java.util.Locale.ROOT, "%.2f", expected.get("mpjpe_mm").asDouble());
        assertTrue(text.lines().anyMatch(l -> l.startsWith("overall") && l.contains(overall)), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("left hands")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("right hands")), text);
        assertEquals(expected.get("by_take").size(), text.lines().filter(l -> l.startsWith("take ")).count(), text);
    }

    @Test
    void missingPredictionFailsNamingThePredictionFileAndHandUnlessLenient(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "{}");
        assertEquals(1, run("evaluate", "--pred", empty.toString(), "--gt", resource("gt.json")));
        assertTrue(err.toString().startsWith("error: prediction " + empty + ": take "), err.toString());
        assertTrue(err.toString().contains("hand: no prediction"), err.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("evaluate", "--pred", empty.toString(), "--gt", resource("gt.json"), "--lenient", "--json"));
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(18, json.get("skipped").asInt());
        assertEquals(0, json.get("hands").asInt());
        assertTrue(json.get("mpjpe_mm").isNull());
    }

    @Test
    void unreadableOrMalformedFilesFailNamingTheFile(@TempDir Path dir) throws IOException, URISyntaxException {
        Path absent = dir.resolve("absent.json");
        assertEquals(1, run("evaluate", "--pred", resource("pred.json"), "--gt", absent.toString()));
        assertTrue(err.toString().contains("cannot read ground truth " + absent + ": no such file"), err.toString());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"t\": {\"1\": {\"left_hand_3d\": [[1, 2]]");
        err.getBuffer().setLength(0);
        assertEquals(1, run("evaluate", "--pred", broken.toString(), "--gt", resource("gt.json")));
        assertTrue(err.toString().startsWith("error: prediction " + broken + ": take t, frame 1: not valid JSON"), err.toString());

        Path testSplit = dir.resolve("test.json");
        Files.writeString(testSplit, "{\"t\": {\"1\": {\"right_hand_bbox\": [1, 2, 3, 4], \"left_hand_bbox\": []}}}");
        err.getBuffer().setLength(0);
        assertEquals(1, run("evaluate", "--pred", resource("pred.json"), "--gt", testSplit.toString()));
        assertTrue(err.toString().contains(testSplit + " has no hand with 3D annotation"), err.toString());
    }
}
