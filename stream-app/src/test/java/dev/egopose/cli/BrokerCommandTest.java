package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.broker.TopicAdmin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerCommandTest {

    @Test
    void startsWithTheEgoposeTopicsPrintsItsAddressAndStopsCleanly(@TempDir Path dir) throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(text, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread runner = new Thread(() -> exit.set(cmd.execute("broker", "--dir", dir.toString(), "--partitions", "2")));
        runner.start();

        String bootstrap = awaitLine(text, Pattern.compile("bootstrap\\.servers=(127\\.0\\.0\\.1:\\d+)"), 120);
        assertTrue(text.toString().contains("topics: egopose.frames (2 partitions), egopose.poses (2 partitions),"
                + " egopose.frames.dlq (2 partitions)"), text.toString());
        assertTrue(text.toString().contains("data: " + dir.toAbsolutePath() + " (kept)"), text.toString());
        Map<String, Integer> actual = new TopicAdmin(bootstrap, Duration.ofSeconds(20))
                .ensureTopics(7, List.of("egopose.frames", "egopose.poses", "egopose.frames.dlq"));
        assertEquals(Map.of("egopose.frames", 2, "egopose.poses", 2, "egopose.frames.dlq", 2), actual);

        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(runner.isAlive(), "the command returned after being stopped");
        assertEquals(0, exit.get());
        assertTrue(text.toString().contains("egopose broker stopped."), text.toString());
        assertTrue(Files.exists(dir.resolve("kafka").resolve("meta.properties")), "persistent data kept");
    }

    @Test
    void badOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(2, cmd.execute("broker", "--partitions", "0"));
        assertTrue(err.toString().contains("--partitions must be at least 1, got 0"), err.toString());
        assertEquals(2, cmd.execute("broker", "--frames-topic", "no spaces"));
        assertTrue(err.toString().contains("illegal Kafka topic name 'no spaces'"), err.toString());
    }

    private static String awaitLine(StringWriter text, Pattern pattern, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(text.toString());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " within " + seconds + " s; output so far:\n" + text);
    }
}
