package dev.egopose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.avro.Topics;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.config.Settings;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.ingest.IngestServer;
import dev.egopose.schema.Frame;
import dev.egopose.replay.Pacing;
import dev.egopose.schema.HandPoses;
import dev.egopose.sink.PoseSink;
import dev.egopose.synth.SyntheticDataset;
import dev.egopose.synth.SyntheticTake;
import dev.egopose.synth.SyntheticTakes;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code egopose bench live}: simulated headsets posting through {@code ingest}, the whole live path
 * measured from capture to a {@code read_committed} consumer holding the poses.
 */
@Command(
        name = "live",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the live path: K simulated headsets post frames over HTTP to egopose ingest at F fps for S",
            "seconds (embedded broker, the processor with the bundled model unless --set model.dir); a",
            "read_committed consumer of the poses takes capture-to-pose latency (capture time stamped by the",
            "headset when it posts -> poses in the consumer's hands). Frames are a synthetic take's 1408x1408",
            "fisheye frames with its calibration and boxes, looped; each headset is its own take (key).",
            "The processor commits every 20 ms (kafka.commit.interval.ms, the live setting; Kafka Streams' exactly-once",
            "default is 100 ms, which a read_committed consumer waits for): --set kafka.commit.interval.ms=100 to compare.",
            "First a warm-up headset (a take and calibration of its own, not measured) posts for --warm-up seconds, as",
            "on a processor that has served before: the measured headsets' first frames still build their",
            "calibration's undistortion map and start their takes; --warm-up 0 measures a process just started.",
            "Prints p50/p95/p99 latency, achieved frames/s and whether the lag grows; --json for",
            "{latency_ms_p50, latency_ms_p95, latency_ms_p99, achieved_fps, lag_growing, ...}."
        })
final class BenchLiveCommand implements Callable<Integer> {
    /** The commit interval for live feeds (Kafka Streams' exactly-once default is 100 ms). */
    static final String LIVE_COMMIT_KEY = "kafka.commit.interval.ms";
    static final String LIVE_COMMIT_MS = "20";
    /** The warm-up headset's take uid. */
    static final String WARM_UP_KEY = "headset-warm-up";

    @Spec
    CommandSpec spec;

    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--headsets", defaultValue = "1", paramLabel = "K", description = "Simulated headsets (default: ${DEFAULT-VALUE}).")
    int headsets;

    @Option(names = "--fps", defaultValue = "10", paramLabel = "F", description = "Frames per second per headset (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--seconds", defaultValue = "30", paramLabel = "S", description = "How long the headsets post (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warm-up", defaultValue = "3", paramLabel = "SECONDS",
            description = "Seconds a warm-up headset posts first, not measured (default: ${DEFAULT-VALUE}; 0 = none).")
    double warmUpSeconds;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (headsets < 1 || !(fps > 0) || !(seconds > 0) || !(warmUpSeconds >= 0)) {
            throw new ParameterException(spec.commandLine(), "--headsets must be at least 1, --fps and --seconds positive, --warm-up not negative");
        }
        settingsOptions.refuseBroker();
        try (ScratchDir work = ScratchDir.create("egopose-bench-live")) {
            SyntheticDataset data = SyntheticTakes.generate(work.resolve("data"), 20, 1, 3);
            SyntheticTake take = data.takes().get(0);
            String calibration = Files.readString(data.calibration(take));
            List<byte[]> images = new ArrayList<>();
            List<Map<HandSide, HandBox>> boxes = new ArrayList<>();
            for (int frame : take.frameNumbers()) {
                images.add(Files.readAllBytes(data.distortedImage(take, frame)));
                FrameAnnotation annotation = data.groundTruth().takes().get(take.uid()).frames().get(frame);
                Map<HandSide, HandBox> frameBoxes = new LinkedHashMap<>();
                for (HandSide side : HandSide.values()) {
                    annotation.hand(side).box().ifPresent(b -> frameBoxes.put(side, b));
                }
                boxes.add(frameBoxes);
            }
            try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral()) {
                settingsOptions.overrides.putIfAbsent("application.id", "egopose-bench-live");
                settingsOptions.overrides.put("bootstrap.servers", broker.bootstrapServers());
                settingsOptions.overrides.putIfAbsent("state.dir", work.resolve("state").toString());
                settingsOptions.overrides.putIfAbsent("model.torch.threads", "1");
                // live: a pose reaches read_committed consumers only at the next exactly-once commit
                settingsOptions.overrides.putIfAbsent(LIVE_COMMIT_KEY, LIVE_COMMIT_MS);
                settingsOptions.overrides.putIfAbsent("num.stream.threads", Integer.toString(Math.min(headsets, 4)));
                Settings settings = settingsOptions.load();
                Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
                broker.createTopics(partitions(), topics.names());
                try (StreamApp app = StreamApp.start(settings, Duration.ofMinutes(2));
                     Producer<String, Frame> producer = ReplayCommand.producer(settings, topics);
                     IngestServer ingest = IngestCommand.start(settings, producer, topics, "127.0.0.1", 0, Duration.ofSeconds(10))) {
                    Result result = measure(settings, topics, ingest, calibration, images, boxes);
                    print(result, settings);
                    return result.refused() == 0 ? 0 : 1;
                }
            }
        }
    }

    private record Result(int posted, int refused, int posed, double seconds, double[] latencies, boolean lagGrowing, double firstMs, double lastMs,
                          List<double[]> stages) {}

    private Result measure(Settings settings, Topics topics, IngestServer ingest, String calibration, List<byte[]> images,
                           List<Map<HandSide, HandBox>> boxes) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<double[]> received = new ArrayList<>(); // [receive order, latency ms]
        ExecutorService threads = Executors.newFixedThreadPool(headsets + 1);
        AtomicInteger warmUpPoses = new AtomicInteger();
        Future<?> consumer = threads.submit(() -> consume(settings, topics, stop, received, warmUpPoses));
        Thread.sleep(1000); // let the consumer join before the first frame
        AtomicInteger posted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        warmUp(ingest, calibration, images, boxes, refused, warmUpPoses);
        HeadsetClient client = new HeadsetClient(ingest, calibration);
        Pacing pacing = Pacing.startingNow(fps);
        long start = pacing.startNanos();
        long end = start + (long) (seconds * 1e9);
        List<Future<?>> posters = new ArrayList<>();
        for (int h = 0; h < headsets; h++) {
            String takeUid = headsetKey(h);
            posters.add(threads.submit(() -> {
                postPaced(client, takeUid, pacing, end, images, boxes, posted, refused);
                return null;
            }));
        }
        for (Future<?> f : posters) {
            f.get();
        }
        double postedSeconds = (System.nanoTime() - start) / 1e9;
        long drainUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (size(received) < posted.get() - refused.get() && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        stop.set(true);
        consumer.get();
        threads.shutdownNow();
        double[] latencies;
        synchronized (received) {
            latencies = received.stream().mapToDouble(r -> r[1]).toArray();
        }
        int fifth = Math.max(1, latencies.length / 5);
        double first = median(Arrays.copyOfRange(latencies, 0, Math.min(fifth, latencies.length)));
        double last = median(Arrays.copyOfRange(latencies, Math.max(0, latencies.length - fifth), latencies.length));
        boolean growing = latencies.length > 10 && last > 2 * first && last - first > 100;
        List<double[]> stages;
        synchronized (received) {
            stages = received.stream().map(r -> Arrays.copyOfRange(r, 2, 7)).toList();
        }
        return new Result(posted.get(), refused.get(), latencies.length, postedSeconds, latencies, growing, first, last, stages);
    }

    /**
     * The warm-up headset: posts for the warm-up seconds under {@link #WARM_UP_KEY} with the calibration
     * slightly changed (so the measured headsets' calibration is still new to the processor), then waits
     * until its poses are in.
     */
    private void warmUp(IngestServer ingest, String calibration, List<byte[]> images, List<Map<HandSide, HandBox>> boxes,
                        AtomicInteger refused, AtomicInteger poses) throws Exception {
        HeadsetClient client = new HeadsetClient(ingest, perturbed(calibration));
        Pacing pacing = Pacing.startingNow(fps);
        long end = pacing.startNanos() + (long) (warmUpSeconds * 1e9);
        AtomicInteger posted = new AtomicInteger();
        AtomicInteger warmUpRefused = new AtomicInteger();
        postPaced(client, WARM_UP_KEY, pacing, end, images, boxes, posted, warmUpRefused);
        refused.addAndGet(warmUpRefused.get());
        int sent = posted.get() - warmUpRefused.get();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (poses.get() < sent && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    /** One headset's frames, posted at the pace until {@code end}; every post and every refusal counted. */
    private static void postPaced(HeadsetClient client, String takeUid, Pacing pacing, long end, List<byte[]> images,
                                  List<Map<HandSide, HandBox>> boxes, AtomicInteger posted, AtomicInteger refused) throws Exception {
        for (int n = 0; pacing.dueNanos(n) < end; n++) {
            pacing.awaitFrame(n);
            int status = client.post(takeUid, "", n, images.get(n % images.size()), boxes.get(n % boxes.size()), List.of());
            posted.incrementAndGet();
            if (status != 202) {
                refused.incrementAndGet();
            }
        }
    }

    /** The calibration with the RGB camera's focal length 0.25 px longer: a calibration the processor has not seen. */
    static String perturbed(String calibration) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(calibration);
        for (JsonNode camera : root.path("CameraCalibrations")) {
            if ("camera-rgb".equals(camera.path("Label").asText()) && camera.path("Projection").path("Params") instanceof ArrayNode params) {
                params.set(0, params.get(0).asDouble() + 0.25);
                return json.writeValueAsString(root);
            }
        }
        throw new IllegalArgumentException("the calibration has no camera-rgb projection");
    }

    /** One partition per headset (at least two), so that the stream threads share the headsets evenly. */
    private int partitions() {
        return Math.max(2, headsets);
    }

    /**
     * Headset h's take uid (the record key): {@code headset-h}, with a suffix where needed so that it
     * lands in partition h, as Kafka's default partitioner places it; otherwise two headsets could
     * share a partition, and so one stream thread, while another thread idles.
     */
    private String headsetKey(int h) {
        for (int suffix = 0; ; suffix++) {
            String key = "headset-" + h + (suffix == 0 ? "" : "-" + suffix);
            if (BenchPipelineCommand.partitionOf(key, partitions()) == h % partitions()) {
                return key;
            }
        }
    }

    private static int size(List<double[]> received) {
        synchronized (received) {
            return received.size();
        }
    }

    private static Void consume(Settings settings, Topics topics, AtomicBoolean stop, List<double[]> received, AtomicInteger warmUpPoses) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-live-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        try (KafkaConsumer<String, HandPoses> consumer = new KafkaConsumer<>(props, new StringDeserializer(), topics.poses().valueSerde().deserializer())) {
            consumer.subscribe(List.of(settings.posesTopic()));
            while (!stop.get()) {
                consumer.poll(Duration.ofMillis(20)).forEach(r -> {
                    if (WARM_UP_KEY.equals(r.key())) {
                        warmUpPoses.incrementAndGet();
                        return;
                    }
                    HandPoses p = r.value();
                    double latencyMs = (System.currentTimeMillis() * 1_000_000L - p.getCaptureTimeNs()) / 1e6;
                    synchronized (received) {
                        // latency, then where the time went: capture -> processor, decode, crop, model, emit -> consumer
                        received.add(new double[] {received.size(), latencyMs, p.getReceivedAtMs() - p.getCaptureTimeNs() / 1e6,
                            p.getDecodeMs(), p.getCropMs(), p.getModelMs(), latencyMs - (p.getEmittedAtMs() - p.getCaptureTimeNs() / 1e6)});
                    }
                });
            }
        }
        return null;
    }

    private static double median(double[] values) {
        return percentile(values, 50);
    }

    /** The sink's nearest-rank percentile, {@code p} in percent; NaN without values. */
    private static double percentile(double[] values, double p) {
        return values.length == 0 ? Double.NaN : PoseSink.percentile(Arrays.stream(values).sorted().boxed().toList(), p / 100);
    }

    private void print(Result r, Settings settings) throws Exception {
        double achieved = r.posed() / r.seconds();
        if (json) {
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("headsets", headsets).put("fps_per_headset", fps).put("seconds", seconds).put("warm_up_seconds", warmUpSeconds);
            out.put("frames_posted", r.posted()).put("frames_refused", r.refused()).put("poses_received", r.posed());
            out.put("latency_ms_p50", round(percentile(r.latencies(), 50)));
            out.put("latency_ms_p95", round(percentile(r.latencies(), 95)));
            out.put("latency_ms_p99", round(percentile(r.latencies(), 99)));
            out.put("latency_ms_max", round(percentile(r.latencies(), 100)));
            int warm = (int) Math.min(r.latencies().length, Math.round(2 * fps * headsets));
            out.put("latency_ms_p99_after_2s", round(percentile(Arrays.copyOfRange(r.latencies(), warm, r.latencies().length), 99)));
            out.put("achieved_fps", round(achieved));
            out.put("lag_growing", r.lagGrowing());
            out.put("latency_ms_first_fifth_median", round(r.firstMs())).put("latency_ms_last_fifth_median", round(r.lastMs()));
            out.put("stream_threads", settings.streamThreads()).put("crop_mode", settings.cropMode().name().toLowerCase());
            out.put("commit_interval_ms", settings.kafka().getOrDefault("commit.interval.ms", "100"));
            var where = out.putObject("mean_ms");
            String[] names = {"capture_to_processor", "decode", "crop", "model", "emit_to_consumer"};
            for (int i = 0; i < names.length; i++) {
                final int k = i;
                where.put(names[i], round(r.stages().stream().mapToDouble(v -> v[k]).average().orElse(Double.NaN)));
            }
            var first = out.putArray("first_frames_ms");
            for (double[] v : r.stages().subList(0, Math.min(5, r.stages().size()))) {
                var row = first.addObject();
                for (int i = 0; i < names.length; i++) {
                    row.put(names[i], round(v[i]));
                }
            }
            System.out.println(out.toPrettyString());
        } else {
            System.out.printf("%d headset(s) x %.1f fps for %.0f s after a %.0f s warm-up headset: %d frames posted (%d refused), %d poses; %.1f frames/s%n",
                    headsets, fps, seconds, warmUpSeconds, r.posted(), r.refused(), r.posed(), achieved);
            System.out.printf("capture-to-pose latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; lag %s (first fifth %.1f ms, last %.1f ms)%n",
                    percentile(r.latencies(), 50), percentile(r.latencies(), 95), percentile(r.latencies(), 99), percentile(r.latencies(), 100),
                    r.lagGrowing() ? "GROWING" : "steady", r.firstMs(), r.lastMs());
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
