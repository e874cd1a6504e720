package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.egopose.broker.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay -> topology -> sink on the real embedded broker with the real bundled tiny model. */
class EndToEndTest {
    @TempDir
    Path dir;

    @Test
    void replayedTakeBecomesASubmissionOfTheModelsOwnPredictionsAndReplaysAreByteIdentical() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral()) {
            EndToEndScenario scenario = new EndToEndScenario(dir, broker.bootstrapServers());
            Path anno = scenario.writeTakeSet();
            Path first = scenario.run(anno, "one");
            Path second = scenario.run(anno, "two");
            assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "replaying the take twice changed the submission");
        }
    }
}
