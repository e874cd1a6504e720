package dev.egopose.cli;

import dev.egopose.broker.TopicAdmin;
import dev.egopose.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code egopose run}: the stream processor alone, against a given broker, until Ctrl-C. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the stream processor against a Kafka cluster until Ctrl-C.",
            "Frames in (topic.frames), hand poses out (topic.poses), rejected frames to topic.dlq.",
            "More instances with the same application.id share the partitions.",
            "Settings: defaults < --config file < EGOPOSE_* environment < flags (see configs/egopose.properties)."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--partitions", defaultValue = "3", paramLabel = "N",
            description = "Partitions of topics this command creates when they are missing (existing topics keep theirs; default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--status-every", defaultValue = "30", paramLabel = "SECONDS",
            description = "Print a status line (frames, dead letters, batches) this often (default: ${DEFAULT-VALUE}).")
    long statusSeconds;

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load();
        System.out.println("egopose: " + settings);
        new TopicAdmin(settings.bootstrapServers(), Duration.ofSeconds(60))
                .ensureTopics(partitions, List.of(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic()));
        StopSignal stop = StopSignal.install();
        try (StreamApp app = StreamApp.start(settings, Duration.ofMinutes(2))) {
            System.out.printf("egopose: model %s on %s; %s -> %s (DLQ %s); Ctrl-C to stop%n",
                    app.model().card().modelId(), app.model().device(),
                    settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
            long nextStatus = System.nanoTime() + TimeUnit.SECONDS.toNanos(statusSeconds);
            while (!stop.await(250)) {
                Optional<Throwable> failure = app.failure();
                if (failure.isPresent()) {
                    System.err.println("egopose: the processor stopped: " + failure.get().getMessage());
                    return 1;
                }
                if (System.nanoTime() >= nextStatus) {
                    System.out.println("egopose: " + app.status());
                    nextStatus += TimeUnit.SECONDS.toNanos(statusSeconds);
                }
            }
            System.out.println("egopose: stopping: " + app.status());
        }
        System.out.println("egopose: stopped");
        return 0;
    }
}
