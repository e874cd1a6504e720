package dev.egopose.cli;

import dev.egopose.avro.Topics;
import dev.egopose.broker.BrokerSettings;
import dev.egopose.broker.EmbeddedBroker;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code egopose broker}: a single-node Kafka on 127.0.0.1 with the egopose topics, until Ctrl-C. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Run a single-node Kafka broker (KRaft) in this process, on 127.0.0.1 only.",
            "Creates the egopose topics, prints its address and runs until Ctrl-C."
        })
final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Keep the broker's data in DIR across restarts (formatted on first use)."
                    + " Default: a temporary directory, deleted on exit.")
    Path dir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Client port on 127.0.0.1. Default: the port DIR had last time if free, else any free port.")
    int port;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of each topic created now; existing topics keep theirs. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--frames-topic", paramLabel = "NAME", defaultValue = Topics.DEFAULT_FRAMES,
            description = "Default: ${DEFAULT-VALUE}.")
    String framesTopic;

    @Option(names = "--poses-topic", paramLabel = "NAME", defaultValue = Topics.DEFAULT_POSES,
            description = "Default: ${DEFAULT-VALUE}.")
    String posesTopic;

    @Option(names = "--dlq-topic", paramLabel = "NAME", defaultValue = Topics.DEFAULT_DLQ,
            description = "Default: ${DEFAULT-VALUE}.")
    String dlqTopic;

    /** Its global --verbose also shows the broker's own INFO logs (default: warnings and errors only). */
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, got " + port);
        }
        List<String> topicNames;
        try {
            topicNames = Topics.named(framesTopic, posesTopic, dlqTopic).names();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (main.verbose) {
            kafkaLogsAtInfo();
        }
        PrintWriter out = spec.commandLine().getOut();
        BrokerSettings settings = (dir == null ? BrokerSettings.ephemeral() : BrokerSettings.persistent(dir)).withPort(port);

        EmbeddedBroker broker;
        try {
            broker = EmbeddedBroker.start(settings);
        } catch (IllegalStateException | UncheckedIOException e) {
            spec.commandLine().getErr().println("egopose broker: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(broker::close, "egopose-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            Map<String, Integer> topics = broker.createTopics(partitions, topicNames);
            List<String> described = new ArrayList<>();
            topics.forEach((name, count) -> described.add(name + " (" + count + (count == 1 ? " partition)" : " partitions)")));
            out.println("egopose broker ready in " + broker.startupTime().toMillis() + " ms");
            out.println("bootstrap.servers=" + broker.bootstrapServers());
            out.println("topics: " + String.join(", ", described));
            out.println("data: " + broker.directory() + (broker.isEphemeral() ? " (temporary, deleted on exit)" : " (kept)"));
            out.println("Ctrl-C to stop.");
            out.flush();
            new CountDownLatch(1).await();
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("egopose broker: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            // Stopped from within the JVM (tests, an embedding program); Ctrl-C goes through the hook instead.
            // The flag is restored only after the broker is closed: its clean shutdown waits on futures.
            interrupted = true;
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                broker.close();
                out.println("egopose broker stopped.");
                out.flush();
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting: the hook closes the broker.
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kafka logs hundreds of INFO lines while starting; keep its warnings only unless asked. */
    /** simplelogger.properties keeps Kafka at WARN; --verbose lowers it before any Kafka logger exists. */
    private static void kafkaLogsAtInfo() {
        for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "info");
            }
        }
    }
}
