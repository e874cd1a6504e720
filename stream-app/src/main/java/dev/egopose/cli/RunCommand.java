package dev.egopose.cli;

import dev.egopose.config.Settings;
import dev.egopose.ops.Health;
import dev.egopose.ops.OpsServer;
import dev.egopose.ops.ProcessorMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
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

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus /metrics, /health/live and /health/ready on this port (metrics.port; 0 = any free port; default: off).")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS",
            description = "Address the metrics server binds to (metrics.host; default 127.0.0.1, loopback only; 0.0.0.0 = every interface).")
    String metricsHost;

    @Override
    public Integer call() throws Exception {
        if (metricsPort != null) {
            settingsOptions.overrides.put("metrics.port", metricsPort.toString());
        }
        if (metricsHost != null) {
            settingsOptions.overrides.put("metrics.host", metricsHost);
        }
        Settings settings = settingsOptions.load();
        System.out.println("egopose: " + settings);
        SettingsOptions.admin(settings)
                .ensureTopics(partitions, List.of(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic()));
        StopSignal stop = StopSignal.install();
        AtomicReference<StreamApp> started = new AtomicReference<>();
        try (ProcessorMetrics metrics = new ProcessorMetrics();
             OpsServer ops = opsServer(settings, metrics, started);
             StreamApp app = StreamApp.start(settings, Duration.ofMinutes(2), metrics::batchRan)) {
            bindMetrics(metrics, app);
            started.set(app);
            System.out.printf("egopose: model %s on %s; %s -> %s (DLQ %s); Ctrl-C to stop%n",
                    app.model().card().modelId(), app.device(),
                    settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
            try {
                awaitStop(app::state, app::status, stop.latch(), statusSeconds);
            } catch (IllegalStateException stopped) {
                // a model that cannot run is why, when it is: say that rather than the state it left behind
                throw app.fatal().map(f -> new IllegalStateException("the processor stopped: " + f.getMessage(), f)).orElse(stopped);
            }
            System.out.println("egopose: stopping: " + app.status());
        }
        System.out.println("egopose: stopped");
        return 0;
    }

    /**
     * Until Ctrl-C (0), printing the status every {@code statusSeconds}; an interrupt from within the
     * JVM (tests) also stops with 0. Kafka Streams in ERROR or NOT_RUNNING ends it with an exception (exit 1).
     */
    static int awaitStop(Supplier<KafkaStreams.State> streams, Supplier<String> status, CountDownLatch stop, long statusSeconds) {
        long nextStatus = System.nanoTime() + TimeUnit.SECONDS.toNanos(statusSeconds);
        try {
            while (!stop.await(1, TimeUnit.SECONDS)) {
                KafkaStreams.State state = streams.get();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException("Kafka Streams stopped in state " + state
                            + " (the log above says why); " + status.get());
                }
                if (System.nanoTime() >= nextStatus) {
                    System.out.println("egopose: " + status.get());
                    nextStatus += TimeUnit.SECONDS.toNanos(statusSeconds);
                }
            }
        } catch (InterruptedException stopRequest) {
            // the interrupt is the stop request: consumed here, so that closing Kafka Streams can wait for its threads
        }
        return 0;
    }

    /** The /metrics and /health server, or null when metrics.port is off; it answers while the model loads too. */
    private static OpsServer opsServer(Settings settings, ProcessorMetrics metrics, AtomicReference<StreamApp> started) {
        if (settings.metricsPort() < 0) {
            return null;
        }
        OpsServer ops = OpsServer.start(settings.metricsHost(), settings.metricsPort(), metrics, () -> {
            StreamApp app = started.get();
            return app == null ? Health.starting() : new Health(Optional.of(app.state()), true);
        });
        System.out.printf("egopose: metrics on http://%s%s, health on %s and %s%n", ops.address(), OpsServer.METRICS, OpsServer.LIVE, OpsServer.READY);
        return ops;
    }

    private static void bindMetrics(ProcessorMetrics metrics, StreamApp app) {
        metrics.bindStreams(app.streams());
        metrics.bindBatcherStats(app::batcherStats);
    }
}
