package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.detect.MediaPipeModels;
import dev.egopose.synth.SyntheticDataset;
import dev.egopose.synth.SyntheticTake;
import dev.egopose.synth.SyntheticTakes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egopose detect} as a user runs it: boxes for a synthetic fisheye frame, one-line errors for bad input. */
class DetectCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aFisheyeFrameWithItsCalibrationGetsBoxesInBothImages() throws Exception {
        MediaPipeModels models = MediaPipeModels.defaultLocation();
        assumeTrue(models.present(), "MediaPipe models not in " + models.dir() + " (scripts/fetch-mediapipe.sh)");
        SyntheticDataset data = SyntheticTakes.generate(tmp, 1, 1, 3);
        SyntheticTake take = data.takes().get(0);
        int frame = take.frameNumbers().get(0);
        CliRun run = CliRun.of("detect", "--image", data.distortedImage(take, frame).toString(), "--calib", data.calibration(take).toString(), "--json");
        assertEquals(0, run.code(), run.text());
        JsonNode hands = new ObjectMapper().readTree(run.text().substring(run.text().indexOf('[')));
        assertTrue(hands.size() >= 1, "no hand found: " + run.text());
        for (JsonNode hand : hands) {
            assertTrue(hand.get("side").asText().matches("left|right"), hand.toString());
            assertEquals(4, hand.get("box_image").size(), hand.toString());
            JsonNode undistorted = hand.get("box_undistorted");
            assertTrue(undistorted.isNull() || undistorted.size() == 4, hand.toString());
        }
    }

    @Test
    void aMissingOrBrokenImageIsOneLineNotATrace() throws Exception {
        Path broken = Files.write(tmp.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        for (String image : new String[] {tmp.resolve("missing.jpg").toString(), broken.toString()}) {
            CliRun run = CliRun.of("detect", "--image", image, "--models", tmp.toString(), "--json");
            assertNotEquals(0, run.code(), run.text());
            assertTrue(!run.text().contains("\tat "), "a stack trace: " + run.text());
        }
    }
}
