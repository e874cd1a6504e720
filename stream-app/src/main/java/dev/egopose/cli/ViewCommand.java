package dev.egopose.cli;

import dev.egopose.avro.Topics;
import dev.egopose.config.Settings;
import dev.egopose.view.TakeBoard;
import dev.egopose.view.ViewFeed;
import dev.egopose.view.ViewLimits;
import dev.egopose.view.ViewServer;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code egopose view}: the live web view of the takes on the poses topic, until Ctrl-C. */
@Command(
        name = "view",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a live web view of the takes, until Ctrl-C.",
            "At / the takes seen on topic.poses (uid, name, poses, frames/s, latency, dead letters); at /take/<uid>",
            "one take live: its frame in the benchmark's undistorted 512 view with the boxes and predicted 2D",
            "skeletons, both hands in 3D (wrist-relative, drag to rotate), a latency sparkline, pushed over",
            "Server-Sent Events. Reads topic.poses and topic.frames.dlq (committed records only) and, for the",
            "pictures, topic.frames (file: URIs only under image.uri.roots), from a little before their ends;",
            "never touches the processor's state. Keeps the newest 300 poses and 64 pictures of at most 16 takes.",
            "Listens on 127.0.0.1 unless --host says otherwise."
        })
final class ViewCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--port", defaultValue = "8480", paramLabel = "PORT", description = "HTTP port (0 = any free port; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only; 0.0.0.0 = every interface).")
    String host;

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load();
        try (LiveView view = LiveView.open(settings, host, port)) {
            StopSignal stop = StopSignal.install();
            System.out.printf("egopose view: http://%s/ (takes on %s at %s); Ctrl-C to stop%n", view.server().address(),
                    settings.posesTopic(), settings.bootstrapServers());
            stop.latch().await();
        }
        return 0;
    }

    /** The view's three parts, closed together: the server last, so pages see the end. */
    record LiveView(TakeBoard board, ViewFeed feed, ViewServer server) implements AutoCloseable {
        /** Checks the topics exist, starts reading them and serving on {@code host:port}. */
        static LiveView open(Settings settings, String host, int port) {
            Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
            SettingsOptions.admin(settings).requireTopics(topics.names());
            TakeBoard board = new TakeBoard(ViewLimits.DEFAULTS);
            ViewServer server = ViewServer.start(host, port, board);
            try {
                return new LiveView(board, ViewFeed.start(consumer(settings), topics, board, new ViewPictures(settings), ViewLimits.DEFAULTS), server);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        @Override
        public void close() {
            feed.close();
            server.close();
        }
    }

    /** Reads committed records only, assigned (no group, no commits). */
    static KafkaConsumer<byte[], byte[]> consumer(Settings settings) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "egopose-view");
        props.putAll(settings.kafka());
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
