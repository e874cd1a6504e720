package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.camera.CameraReference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egopose handboxes --json} on the reference CSV and the sample calibration rescaled to 1408:
 * every box equals the NumPy reference's (handboxes_reference.py), in both images.
 */
class HandBoxesCommandTest {
    @TempDir
    Path tmp;

    /** The sample calibration with its camera-rgb parameters rescaled to 1408 (as Ego-Exo4D's per-take files are). */
    private Path calibration1408() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(CameraReference.sampleCalibrationText());
        for (JsonNode camera : root.get("CameraCalibrations")) {
            if (camera.get("Label").asText().equals("camera-rgb")) {
                var params = ((ObjectNode) camera.get("Projection")).putArray("Params");
                for (double p : CameraReference.calibration1408().model().params()) {
                    params.add(p);
                }
            }
        }
        Path file = tmp.resolve("take.json");
        json.writeValue(file.toFile(), root);
        return file;
    }

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.commandLine().execute(args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonBoxesEqualTheReference() throws Exception {
        Path csv = Path.of("src/test/resources/dev/egopose/handtrack/hand_tracking_results.csv");
        JsonNode printed = new ObjectMapper().readTree(run("handboxes", "--hand-tracking", csv.toString(), "--calib", calibration1408().toString(), "--json"));
        JsonNode reference;
        try (var in = getClass().getResourceAsStream("/dev/egopose/handtrack/handboxes_reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        int i = 0;
        for (JsonNode sample : reference.get("samples")) {
            for (JsonNode hand : sample.get("hands")) {
                if (hand.get("confidence").asDouble() <= 0) {
                    continue; // absent: not printed
                }
                JsonNode row = printed.get(i++);
                assertEquals(sample.get("timestamp_us").asLong(), row.get("timestamp_us").asLong());
                assertEquals(hand.get("side").asText(), row.get("side").asText());
                assertEquals(hand.get("confidence").asDouble(), row.get("confidence").asDouble());
                for (String field : new String[] {"box_undistorted", "box_fisheye"}) {
                    JsonNode expected = hand.get(field);
                    JsonNode got = row.get(field);
                    assertEquals(expected.isNull(), got.isNull(), field + " of row " + i);
                    for (int k = 0; !expected.isNull() && k < 4; k++) {
                        assertEquals(expected.get(k).asDouble(), got.get(k).asDouble(), 1e-6, field + " of row " + i);
                    }
                }
            }
        }
        assertEquals(i, printed.size());
        assertEquals(19, i);
    }

    @Test
    void plainOutputNamesTheSizeAndACalibrationWithoutPoseIsAUsageError() throws Exception {
        Path csv = Path.of("src/test/resources/dev/egopose/handtrack/hand_tracking_results.csv");
        String text = run("handboxes", "--hand-tracking", csv.toString(), "--calib", calibration1408().toString());
        assertTrue(text.contains("10 samples from " + csv + "; fisheye boxes in 1408x1408 pixels"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("1266664 left  0.300 undistorted none fisheye none")), text);
        Path noPose = tmp.resolve("nopose.json");
        Files.writeString(noPose, Files.readString(calibration1408()).replace("T_Device_Camera", "Elsewhere"));
        assertEquals(2, Main.commandLine().execute("handboxes", "--hand-tracking", csv.toString(), "--calib", noPose.toString()));
    }
}
