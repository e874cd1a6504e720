package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.synth.SyntheticTakes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A short {@code bench live}: every posted frame comes back as poses, and the report has its keys (no timing asserted). */
class BenchLiveCommandTest {
    @Test
    @Timeout(240)
    void everyPostedFrameIsPosedAndReported() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("bench", "live", "--seconds", "2", "--fps", "5", "--warm-up", "1", "--json");
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        JsonNode report = new ObjectMapper().readTree(text.substring(text.indexOf('{')));
        assertEquals(10, report.get("frames_posted").asInt(), "the warm-up headset's frames are not counted");
        assertEquals(0, report.get("frames_refused").asInt());
        assertEquals(10, report.get("poses_received").asInt(), "every frame posted over HTTP comes back posed");
        for (String key : new String[] {"latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "achieved_fps", "lag_growing", "mean_ms"}) {
            assertTrue(report.has(key), key + " in " + report);
        }
        assertTrue(report.get("latency_ms_p50").asDouble() > 0);
        assertEquals("20", report.get("commit_interval_ms").asText(), "the live commit interval unless --set says otherwise");
        assertEquals(1.0, report.get("warm_up_seconds").asDouble());
    }

    @Test
    void theWarmUpHeadsetsCalibrationDiffersOnlyInTheRgbFocalLength() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String sample;
        try (var in = BenchLiveCommandTest.class.getResourceAsStream(SyntheticTakes.CALIBRATION_RESOURCE)) {
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode before = json.readTree(sample);
        JsonNode after = json.readTree(BenchLiveCommand.perturbed(sample));
        int rgbCameras = 0;
        for (int i = 0; i < before.get("CameraCalibrations").size(); i++) {
            JsonNode was = before.get("CameraCalibrations").get(i);
            JsonNode is = after.get("CameraCalibrations").get(i);
            if ("camera-rgb".equals(was.get("Label").asText())) {
                rgbCameras++;
                assertEquals(was.at("/Projection/Params/0").asDouble() + 0.25, is.at("/Projection/Params/0").asDouble(), 1e-12);
                assertEquals(was.at("/Projection/Params/1"), is.at("/Projection/Params/1"));
                assertEquals(was.get("T_Device_Camera"), is.get("T_Device_Camera"));
            } else {
                assertEquals(was, is);
            }
        }
        assertEquals(1, rgbCameras);
        assertThrows(IllegalArgumentException.class, () -> BenchLiveCommand.perturbed("{\"CameraCalibrations\": []}"));
    }
}
