package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end (embedded broker, processor with the bundled model, replay or ingest over HTTP,
 * sink, evaluation) with the annotation's boxes and with the take's MPS-style hand tracking only,
 * where the processor boxes the hands itself: every hand is posed each way and the scores agree
 * within 2 mm.
 */
class DemoCommandTest {
    @TempDir
    Path tmp;

    private JsonNode demo(String source, String boxes) throws Exception {
        Path out = tmp.resolve(source + "-" + boxes);
        int code = Main.commandLine().execute("demo", "--out", out.toString(), "--frames", "8", "--fps", "0", "--pictures", "0",
                "--source", source, "--boxes", boxes);
        assertEquals(0, code, "demo --source " + source + " --boxes " + boxes);
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    @Test
    @Timeout(300)
    void handTrackingBoxesPoseEveryHandAsWellAsTheAnnotationBoxes() throws Exception {
        JsonNode annotation = demo("replay", "annotation");
        JsonNode tracking = demo("replay", "hand-tracking");
        JsonNode live = demo("ingest", "hand-tracking");
        assertEquals("ingest", live.get("source").asText());
        assertEquals(16, live.get("hands").asInt(), "over HTTP with hand tracking only, every hand posed");
        assertTrue(Math.abs(annotation.get("mpjpe_mm").asDouble() - live.get("mpjpe_mm").asDouble()) <= 2.0,
                "MPJPE " + annotation.get("mpjpe_mm") + " vs " + live.get("mpjpe_mm") + " through ingest");
        assertEquals("annotation", annotation.get("box_source").asText());
        assertEquals("hand-tracking", tracking.get("box_source").asText());
        assertEquals("replay", tracking.get("source").asText());
        assertEquals(16, annotation.get("hands").asInt());
        assertEquals(16, tracking.get("hands").asInt(), "every tracked hand got a box and a pose");
        assertEquals(0, tracking.get("dead_letters").asInt());
        double difference = Math.abs(annotation.get("mpjpe_mm").asDouble() - tracking.get("mpjpe_mm").asDouble());
        assertTrue(difference <= 2.0, "MPJPE " + annotation.get("mpjpe_mm") + " vs " + tracking.get("mpjpe_mm"));
    }

    @Test
    void anUnknownBoxSourceIsAUsageError() {
        assertEquals(2, Main.commandLine().execute("demo", "--out", tmp.resolve("x").toString(), "--boxes", "guess"));
        assertEquals(2, Main.commandLine().execute("demo", "--out", tmp.resolve("y").toString(), "--source", "kafka"));
    }
}
