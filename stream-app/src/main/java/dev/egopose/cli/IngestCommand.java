package dev.egopose.cli;

import dev.egopose.avro.Topics;
import dev.egopose.config.Settings;
import dev.egopose.ingest.IngestServer;
import dev.egopose.ops.IngestMetrics;
import dev.egopose.schema.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code egopose ingest}: frames in over HTTP, for headsets, until Ctrl-C. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Take frames over HTTP and publish them to topic.frames, until Ctrl-C.",
            "POST /v1/frames, multipart/form-data: part meta (JSON: take_uid, frame_number, capture_time_ns,",
            "camera or calibration, boxes and/or hand_tracking; see README, \"Live feeds\") and part image (JPEG).",
            "Answers 202 {topic, partition, offset} once Kafka has the frame, 400 {error, field} for bad input,",
            "401 without the bearer token when ingest.token is set, 413 when too large, 503 when Kafka is",
            "unavailable. GET /health; GET /metrics (Prometheus: requests by status, time to 202, the producer's",
            "Kafka metrics). Listens on 127.0.0.1 unless --host says otherwise."
        })
final class IngestCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--port", defaultValue = "8470", paramLabel = "PORT", description = "HTTP port (0 = any free port; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only; 0.0.0.0 = every interface).")
    String host;

    @Option(names = "--send-timeout-ms", defaultValue = "5000", paramLabel = "MS",
            description = "Longest to wait for Kafka to acknowledge a frame before answering 503 (default: ${DEFAULT-VALUE}).")
    long sendTimeoutMs;

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load();
        SettingsOptions.admin(settings).requireTopics(List.of(settings.framesTopic()));
        Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        StopSignal stop = StopSignal.install();
        try (Producer<String, Frame> producer = ReplayCommand.producer(settings, topics);
             IngestServer server = start(settings, producer, topics, host, port, Duration.ofMillis(sendTimeoutMs))) {
            System.out.printf("egopose ingest: http://%s%s -> %s at %s%s; Ctrl-C to stop%n", server.address(), IngestServer.FRAMES,
                    settings.framesTopic(), settings.bootstrapServers(), settings.ingestToken().isEmpty() ? "" : " (bearer token required)");
            while (!stop.latch().await(30, TimeUnit.SECONDS)) {
                System.out.println("egopose ingest: " + server.accepted() + " frames accepted");
            }
            System.out.println("egopose ingest: stopping after " + server.accepted() + " frames");
        }
        return 0;
    }

    /** The ingest server with the settings' limits: the image limits plus 1 MiB for the meta part. */
    static IngestServer start(Settings settings, Producer<String, Frame> producer, Topics topics, String host, int port, Duration sendTimeout) {
        return IngestServer.start(host, port, settings.ingestToken(), settings.imageMaxBytes() + (1 << 20), settings.imageMaxPixels(),
                producer, topics.frames(), sendTimeout, new IngestMetrics(producer));
    }
}
