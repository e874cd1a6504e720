package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short {@code bench pipeline} on a simulated slow model: every frame comes back posed, the report
 * has its keys, the median round is the one reported, and with three stream threads waiting on one
 * slow model their frames share batches. No timing is asserted.
 */
class BenchPipelineCommandTest {
    @Test
    @Timeout(300)
    void framesOfSeveralTakesShareBatchesOfASlowModel() throws Exception {
        Set<Path> scratchBefore = scratchDirs();
        CliRun run = CliRun.of("bench", "pipeline", "--frames", "30", "--takes", "3", "--stream-threads", "3", "--simulated-model", "60+0*n",
                "--rounds", "3", "--json");
        assertEquals(0, run.code(), run.text());
        Set<Path> left = scratchDirs();
        left.removeAll(scratchBefore);
        assertEquals(Set.of(), left, "the bench deletes its synthetic takes and state");
        JsonNode report = new ObjectMapper().readTree(run.text().substring(run.text().indexOf('{')));
        assertEquals(30, report.get("frames").asInt(), "the warm-up pass's poses are not counted");
        assertEquals(1, report.get("warm_up_passes").asInt());
        for (String key : new String[] {"pipeline_crops_per_s", "model_crops_per_s", "model_crops_per_s_before", "model_crops_per_s_after", "ratio",
            "mean_batch", "stage_ms", "batch_sizes"}) {
            assertTrue(report.has(key), key + " in " + report);
        }
        assertTrue(report.get("device").asText().startsWith("simulated"), report.toString());
        int largest = 0;
        for (Iterator<String> sizes = report.get("batch_sizes").fieldNames(); sizes.hasNext(); ) {
            largest = Math.max(largest, Integer.parseInt(sizes.next()));
        }
        // a frame has at most two hands: a larger batch holds crops of frames from different takes
        assertTrue(largest > 2, "no batch held more than one frame: " + report.toPrettyString() + "\n" + run.text());
        assertTrue(report.get("ratio").asDouble() > 0, report.toString());
        // three measured rounds; the top-level figures are the round with the median ratio
        JsonNode rounds = report.get("rounds");
        assertEquals(3, rounds.size(), report.toString());
        List<Double> ratios = new ArrayList<>();
        rounds.forEach(r -> ratios.add(r.get("ratio").asDouble()));
        Collections.sort(ratios);
        assertEquals(ratios.get(1), report.get("ratio").asDouble(), 1e-9, report.toString());
        JsonNode median = rounds.get(report.get("round").asInt() - 1);
        assertEquals(report.get("pipeline_crops_per_s").asDouble(), median.get("pipeline_crops_per_s").asDouble(), 1e-9, report.toString());
        // CPU per frame: the parts are within the whole, and a simulated model computes nothing
        JsonNode cpu = report.get("cpu_ms_per_frame");
        double process = cpu.get("process").asDouble();
        assertTrue(process > 0, report.toString());
        assertTrue(cpu.get("stream_threads").asDouble() > 0 && cpu.get("stream_threads").asDouble() <= process, report.toString());
        assertTrue(cpu.get("model").asDouble() < 1, "the simulated model sleeps: " + report);
        assertTrue(report.get("cpu_utilisation").asDouble() > 0 && report.get("cpu_utilisation").asDouble() <= 1.05, report.toString());
        // exactly-once commits happen during the pass (every 100 ms per thread), and time blocked on Kafka is a share of the threads' time
        assertTrue(report.get("commits").asInt() > 0, report.toString());
        double blocked = report.get("kafka_blocked_fraction").asDouble();
        assertTrue(blocked > 0 && blocked <= 1, report.toString());
        rounds.forEach(r -> assertTrue(r.has("kafka_blocked_fraction"), r.toString()));
        // a 60 ms call whatever its size: per crop, 60 ms over the mean batch, in the pipeline and bare alike
        JsonNode perCrop = report.get("model_ms_per_crop");
        assertEquals(60 / report.get("mean_batch").asDouble(), perCrop.get("pipeline").asDouble(), 6, report.toString());
        assertEquals(60 / report.get("model_mean_batch").asDouble(), perCrop.get("bare").asDouble(), 6, report.toString());
    }

    @Test
    @Timeout(300)
    void framesByFileUriArePosedToo() throws Exception {
        CliRun run = CliRun.of("bench", "pipeline", "--frames", "10", "--takes", "1", "--uri", "--warm-up-passes", "0", "--rounds", "1", "--fisheye",
                "--simulated-model", "1+0*n", "--json");
        assertEquals(0, run.code(), run.text());
        JsonNode report = new ObjectMapper().readTree(run.text().substring(run.text().indexOf('{')));
        assertEquals("uri", report.get("images").asText());
        assertEquals(10, report.get("frames").asInt(), "every frame sent by reference was read through the claim check and posed");
        assertEquals(0, report.get("warm_up_passes").asInt());
    }

    @Test
    void roundsOutsideOneToTenAreAUsageError() {
        CliRun run = CliRun.of("bench", "pipeline", "--rounds", "0");
        assertEquals(2, run.code(), run.text());
        assertTrue(run.text().contains("--rounds 1..10"), run.text());
    }

    @Test
    void aBrokerOfTheUsersIsRefusedNotIgnored() {
        for (String[] args : List.of(new String[] {"bench", "pipeline", "--bootstrap", "127.0.0.1:9092"},
                new String[] {"bench", "live", "--set", "bootstrap.servers=127.0.0.1:9092"})) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.code(), run.text());
            assertTrue(run.text().contains("embedded broker of its own"), run.text());
        }
    }

    @Test
    void aMissingModelFolderFailsBeforeAnyTakeIsWritten() {
        CliRun run = CliRun.of("bench", "pipeline", "--model", "/nonexistent/egopose-model");
        assertEquals(1, run.code(), run.text());
        assertTrue(run.text().contains("/nonexistent/egopose-model does not exist"), run.text());
        assertTrue(!run.text().contains("synthetic take"), "no takes were generated first: " + run.text());
    }

    private static Set<Path> scratchDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("egopose-bench-pipeline")).collect(Collectors.toCollection(HashSet::new));
        }
    }

    @Test
    void aMalformedCostCurveIsAUsageError() {
        CliRun run = CliRun.of("bench", "pipeline", "--simulated-model", "fast");
        assertEquals(2, run.code(), run.text());
        assertTrue(run.text().contains("A+B*n"), run.text());
    }
}
