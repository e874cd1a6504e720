package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and one-line errors of the command line, and egopose config. */
class CommandLineErrorsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String oneErrorLine() {
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), "expected one line, got:\n" + text);
        assertFalse(text.contains("\tat ") || text.contains("Exception"), text);
        return text;
    }

    @Test
    void everyCommandsHelpShowsItsDescriptionLinesWhole() {
        List<CommandLine> commands = new ArrayList<>(List.of(Main.commandLine()));
        for (int i = 0; i < commands.size(); i++) {
            CommandLine command = commands.get(i);
            commands.addAll(command.getSubcommands().values());
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            List<String> lines = help.lines().toList();
            for (String authored : command.getCommandSpec().usageMessage().description()) {
                for (String line : authored.split("%n|\n")) {
                    assertTrue(line.length() > Main.USAGE_WIDTH || line.isBlank() || lines.stream().anyMatch(l -> l.strip().equals(line.strip())),
                            command.getCommandSpec().qualifiedName() + ": description line wrapped: '" + line + "'\n" + help);
                }
            }
            assertTrue(lines.stream().allMatch(l -> l.length() <= Main.USAGE_WIDTH), command.getCommandSpec().qualifiedName() + ":\n" + help);
        }
        assertTrue(commands.size() > 20, "commands found: " + commands.size());
    }

    @Test
    void aSubcommandsErrorNamesItsWholePath() {
        assertEquals(2, execute("bench", "detector", "--takes", "0"));
        assertTrue(oneErrorLine().startsWith("bench detector: --frames must be 1..10000"), err.toString());
    }

    @Test
    void anUnknownSettingIsOneLineAndExitTwo() {
        assertEquals(2, execute("run", "--set", "security.protocol=SASL_SSL"));
        String line = oneErrorLine();
        assertTrue(line.startsWith("run: unknown setting 'security.protocol' = 'SASL_SSL' from command line"), line);
        assertTrue(line.contains("kafka.security.protocol"), line);
    }

    @Test
    void aBadValueFromAFileNamesKeyValueAndFile() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "model.max.delay.ms=soon\n");
        assertEquals(2, execute("replay", "--config", file.toString(), "--anno", "a.json", "--images", "i"));
        String line = oneErrorLine();
        assertTrue(line.contains("model.max.delay.ms = 'soon' (from file " + file + ") is not an integer"), line);
    }

    @Test
    void anOwnedKafkaKeyIsRefused() {
        assertEquals(2, execute("sink", "--out", "x.json", "--set", "kafka.bootstrap.servers=h:1"));
        assertTrue(oneErrorLine().contains("egopose sets bootstrap.servers itself"));
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        assertEquals(2, execute("run", "--no-such-option"));
        String line = oneErrorLine();
        assertTrue(line.contains("Unknown option: '--no-such-option'") && line.contains("egopose run --help"), line);
    }

    @Test
    void verboseAddsTheStackTrace() {
        assertEquals(2, execute("run", "--verbose", "--set", "crop.mode=blurry"));
        String text = err.toString();
        assertTrue(text.lines().findFirst().orElseThrow().startsWith("run: setting crop.mode = 'blurry'"), text);
        assertTrue(text.contains("SettingsException") && text.contains("\tat "), text);
    }

    @Test
    void anUnreachableBrokerEndsEachCommandWithOneLineWithinTheWait() {
        for (String[] command : new String[][] {
                {"run", "--bootstrap", "127.0.0.1:1", "--set", "broker.wait.seconds=2"},
                {"replay", "--bootstrap", "127.0.0.1:1", "--set", "broker.wait.seconds=2", "--anno", "a.json", "--images", "i"},
                {"sink", "--bootstrap", "127.0.0.1:1", "--set", "broker.wait.seconds=2", "--out", dir.resolve("s.json").toString()}}) {
            err.getBuffer().setLength(0);
            long t0 = System.nanoTime();
            assertEquals(1, execute(command), command[0] + ": " + err);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            String line = oneErrorLine();
            assertTrue(line.startsWith(command[0] + ": ") && line.contains("127.0.0.1:1") && line.contains("within 2000 ms")
                    && line.contains("is the broker running"), line);
            assertTrue(took.toMillis() < 10_000, command[0] + " took " + took);
        }
    }

    @Test
    void aKafkaKeyNoClientKnowsIsPassedOnWithAWarning() {
        assertEquals(0, execute("config", "--set", "kafka.securty.protocol=SASL_SSL", "--set", "kafka.security.protocol=SSL",
                "--set", "kafka.producer.linger.ms=20", "--set", "kafka.main.consumer.max.poll.records=8",
                "--set", "kafka.topic.retention.ms=1000", "--set", "kafka.consumer.no.such.key=1"));
        assertEquals(List.of(
                "config: warning: kafka.consumer.no.such.key is not a setting of any Kafka client (Streams, producer, consumer, admin); passed on anyway",
                "config: warning: kafka.securty.protocol is not a setting of any Kafka client (Streams, producer, consumer, admin); passed on anyway"),
                err.toString().lines().toList());
        assertTrue(out.toString().contains("kafka.securty.protocol = SASL_SSL  (command line)"), out.toString());
    }

    @Test
    void configPrintsEverySettingWithItsSourceSecretsMasked() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "crop.mode=exact\nkafka.ssl.truststore.password=trustme\n");
        assertEquals(0, execute("config", "--config", file.toString(), "--bootstrap", "broker:9093",
                "--set", "kafka.sasl.jaas.config=x required password=\"pw\";", "--set", "kafka.security.protocol=SASL_SSL"));
        String text = out.toString();
        assertTrue(text.contains("bootstrap.servers = broker:9093  (command line)"), text);
        assertTrue(text.contains("crop.mode = exact  (file " + file + ")"), text);
        assertTrue(text.contains("model.device = cpu  (default)"), text);
        assertTrue(text.contains("kafka.security.protocol = SASL_SSL  (command line)"), text);
        assertTrue(text.contains("kafka.sasl.jaas.config = [hidden]  (command line)"), text);
        assertTrue(text.contains("kafka.ssl.truststore.password = [hidden]  (file " + file + ")"), text);
        assertFalse(text.contains("trustme") || text.contains("pw\""), text);
        assertEquals(2, execute("config", "--set", "num.stream.threads=0"));
    }
}
