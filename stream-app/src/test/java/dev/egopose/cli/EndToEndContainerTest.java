package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end path against the official Apache Kafka image, for machines with Docker.
 * Skipped without a Docker engine; {@link EndToEndTest} covers the same behaviour on the embedded broker.
 */
@Testcontainers(disabledWithoutDocker = true)
class EndToEndContainerTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @TempDir
    Path dir;

    @Test
    void replayedTakeBecomesASubmissionOfTheModelsOwnPredictions() throws Exception {
        EndToEndScenario scenario = new EndToEndScenario(dir, KAFKA.getBootstrapServers());
        Path anno = scenario.writeTakeSet();
        Path first = scenario.run(anno, "one");
        Path second = scenario.run(anno, "two");
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }
}
