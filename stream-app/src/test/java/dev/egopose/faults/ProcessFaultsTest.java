package dev.egopose.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.sink.SinkReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI in separate JVMs, killed while frames flow: a processor SIGKILLed and restarted, the
 * broker SIGKILLed and restarted, one of two processor instances SIGKILLed, a processor sent SIGTERM.
 * Every scenario ends with exactly one committed pose record per replayed frame and an empty
 * dead-letter topic, and prints a {@code faults:} line with what it measured.
 */
@Timeout(value = 200, unit = TimeUnit.SECONDS)
class ProcessFaultsTest {
    private static final int PARTITIONS = 2;
    private static final int TAKES = 3;
    private static final Duration REPLAY_END = Duration.ofSeconds(120);
    private static EmbeddedBroker broker;

    @TempDir
    Path dir;

    private final List<Scenario> scenarios = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.startEphemeral();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void killEveryProcess() {
        scenarios.forEach(Scenario::close);
    }

    private Scenario scenario(String name, String bootstrap, TakeFiles takes) {
        Scenario scenario = new Scenario(name + "-" + Long.toHexString(System.nanoTime()), bootstrap, dir, takes);
        scenarios.add(scenario);
        return scenario;
    }

    @Test
    void processorSigkilledThreeTimesLosesAndDuplicatesNothingAndWritesTheUninterruptedSubmission() throws Exception {
        TakeFiles takes = TakeFiles.write(dir, TAKES, 40, PARTITIONS);
        int frames = takes.frames().size();

        Scenario reference = scenario("uninterrupted", broker.bootstrapServers(), takes);
        reference.createTopics(PARTITIONS);
        Path expected = dir.resolve("submission-uninterrupted.json");
        try (PoseLedger ledger = new PoseLedger(broker.bootstrapServers(), reference.topics().poses())) {
            reference.processor("a");
            reference.awaitReplayed(reference.replay(0), REPLAY_END);
            Outcome outcome = reference.finish("uninterrupted", ledger, 0, "");
            assertTrue(outcome.exact(), outcome.line() + reference.tails());
            assertSinkComplete(reference.sink(expected), frames);
        }
        reference.close();

        Scenario crash = scenario("processor-kill", broker.bootstrapServers(), takes);
        crash.createTopics(PARTITIONS);
        Path actual = dir.resolve("submission-processor-kill.json");
        try (PoseLedger ledger = new PoseLedger(broker.bootstrapServers(), crash.topics().poses())) {
            CliProcess processor = crash.processor("a");
            CliProcess replay = crash.replay(4);
            int kills = 0;
            int duringReplay = 0;
            while (kills < 3) {
                // Kill each instance while it works: once it has committed some poses of its own.
                awaitPoses(crash, ledger, Math.min(ledger.poll() + 8, frames));
                betweenCommits();
                duringReplay += replay.alive() ? 1 : 0;
                processor.kill();
                kills++;
                processor = crash.processor("a");
            }
            crash.awaitReplayed(replay, REPLAY_END);
            Outcome outcome = crash.finish("processor-kill", ledger, kills, "kills_during_replay=" + duringReplay);
            assertTrue(outcome.exact(), outcome.line() + crash.tails());
            assertSinkComplete(crash.sink(actual), frames);
        }
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual),
                "the submission after three processor kills differs from the uninterrupted one");
    }

    @Test
    void brokerSigkilledAndRestartedOnTheSameFolderAndPortAndTheProcessorRecoversByItself() throws Exception {
        TakeFiles takes = TakeFiles.write(dir, TAKES, 30, PARTITIONS);
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        List<String> brokerArgs = List.of("broker", "--dir", dir.resolve("broker").toString(), "--port", Integer.toString(port));
        Scenario scenario = scenario("broker-kill", bootstrap, takes);
        CliProcess kafka = scenario.start("broker", brokerArgs);
        kafka.awaitLog("bootstrap.servers=" + bootstrap, Scenario.PROCESS_START);
        scenario.createTopics(PARTITIONS);
        try (PoseLedger ledger = new PoseLedger(bootstrap, scenario.topics().poses())) {
            CliProcess processor = scenario.processor("a");
            CliProcess replay = scenario.replay(8);
            awaitPoses(scenario, ledger, takes.frames().size() / 3);
            betweenCommits();
            int duringReplay = replay.alive() ? 1 : 0;
            kafka.kill();
            long killed = System.nanoTime();
            kafka = scenario.start("broker", brokerArgs);
            kafka.awaitLog("bootstrap.servers=" + bootstrap, Scenario.PROCESS_START);
            double down = seconds(killed);
            awaitPoses(scenario, ledger, ledger.poll() + 1);
            double recovered = seconds(killed);
            scenario.awaitReplayed(replay, REPLAY_END);
            Outcome outcome = scenario.finish("broker-kill", ledger, 1, String.format("kills_during_replay=%d broker_down_seconds=%.1f poses_again_after_seconds=%.1f", duringReplay, down, recovered));
            assertTrue(processor.alive(), "the processor exited instead of recovering" + processor.tail());
            assertTrue(outcome.exact(), outcome.line() + scenario.tails());
        }
    }

    @Test
    void whenOneOfTwoInstancesIsSigkilledTheOtherTakesOverItsPartitions() throws Exception {
        TakeFiles takes = TakeFiles.write(dir, TAKES, 30, PARTITIONS);
        Scenario scenario = scenario("takeover", broker.bootstrapServers(), takes);
        scenario.createTopics(PARTITIONS);
        try (PoseLedger ledger = new PoseLedger(broker.bootstrapServers(), scenario.topics().poses())) {
            CliProcess a = scenario.startProcessor("a");
            CliProcess b = scenario.startProcessor("b");
            a.awaitLog(Scenario.PROCESSOR_READY, Scenario.PROCESS_START);
            b.awaitLog(Scenario.PROCESSOR_READY, Scenario.PROCESS_START);
            Map<String, Set<Integer>> split = awaitAssignment(scenario, m -> m.size() == 2 && m.values().stream().allMatch(p -> p.size() == 1));
            // The first take is in partition 0: kill its owner while it works on it.
            boolean aOwnsFirstTake = split.entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith(scenario.applicationId() + "-a") && e.getValue().contains(0));
            CliProcess victim = aOwnsFirstTake ? a : b;
            CliProcess survivor = aOwnsFirstTake ? b : a;
            CliProcess replay = scenario.replay(8);
            awaitPoses(scenario, ledger, 10);
            betweenCommits();
            int duringReplay = replay.alive() ? 1 : 0;
            victim.kill();
            long killed = System.nanoTime();
            awaitAssignment(scenario, m -> m.size() == 1 && m.values().iterator().next().equals(Set.of(0, 1)));
            double takeover = seconds(killed);
            scenario.awaitReplayed(replay, REPLAY_END);
            Outcome outcome = scenario.finish("takeover", ledger, 1, String.format("kills_during_replay=%d takeover_seconds=%.1f", duringReplay, takeover));
            assertTrue(survivor.alive(), "the surviving instance exited" + survivor.tail());
            assertTrue(outcome.exact(), outcome.line() + scenario.tails());
        }
    }

    @Test
    void sigtermStopsTheProcessorWithExitCodeZeroAndLosesNothingItAcknowledged() throws Exception {
        TakeFiles takes = TakeFiles.write(dir, TAKES, 30, PARTITIONS);
        Scenario scenario = scenario("sigterm", broker.bootstrapServers(), takes);
        scenario.createTopics(PARTITIONS);
        try (PoseLedger ledger = new PoseLedger(broker.bootstrapServers(), scenario.topics().poses())) {
            CliProcess processor = scenario.processor("a");
            CliProcess replay = scenario.replay(8);
            awaitPoses(scenario, ledger, takes.frames().size() / 3);
            betweenCommits();
            int duringReplay = replay.alive() ? 1 : 0;
            processor.terminate();
            long signalled = System.nanoTime();
            int exitCode = processor.awaitExit(Duration.ofSeconds(60));
            double exitSeconds = seconds(signalled);
            String log = processor.tail();
            scenario.processor("a");
            scenario.awaitReplayed(replay, REPLAY_END);
            Outcome outcome = scenario.finish("sigterm", ledger, 1, String.format("kills_during_replay=%d exit_code=%d exit_seconds=%.1f", duringReplay, exitCode, exitSeconds));
            assertEquals(0, exitCode, "exit code after SIGTERM" + log);
            assertTrue(exitSeconds < 35, "SIGTERM took " + exitSeconds + " s to stop the processor" + log);
            assertTrue(outcome.exact(), outcome.line() + scenario.tails());
        }
    }

    private static void assertSinkComplete(SinkReport report, int frames) {
        assertTrue(report.complete(), report.missingHands() + " template hands missing from the submission");
        assertEquals(frames, report.frames());
        assertEquals(frames, report.records(), "pose records the sink read");
    }

    /** Polls until the poses topic holds at least {@code count} committed records. */
    private static void awaitPoses(Scenario scenario, PoseLedger ledger, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (ledger.poll() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + ledger.records() + " of " + count + " pose records after 90 s" + scenario.tails());
            }
        }
    }

    /** Waits half a commit interval after a commit was seen, so that a kill lands in the middle of the next transaction. */
    private static void betweenCommits() throws InterruptedException {
        Thread.sleep(Scenario.COMMIT_INTERVAL_MS / 2);
    }

    private static Map<String, Set<Integer>> awaitAssignment(Scenario scenario, Predicate<Map<String, Set<Integer>>> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Map<String, Set<Integer>> now = scenario.assignment();
        while (!wanted.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group assignment still " + now + " after 90 s" + scenario.tails());
            }
            Thread.sleep(200);
            now = scenario.assignment();
        }
        return now;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
