package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.avro.Topics;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.config.Settings;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionReader;
import dev.egopose.eval.EvaluationReport;
import dev.egopose.eval.Evaluator;
import dev.egopose.model.Batcher;
import dev.egopose.render.RenderedFrame;
import dev.egopose.render.Renderer;
import dev.egopose.replay.ReplayReport;
import dev.egopose.handtrack.TrackedHand;
import dev.egopose.handtrack.TrackingSample;
import dev.egopose.ingest.IngestServer;
import dev.egopose.replay.HandTrackingSource;
import dev.egopose.replay.Pacing;
import dev.egopose.replay.ReplayFrame;
import dev.egopose.replay.Replayer;
import dev.egopose.replay.TakeSet;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.sink.PoseSink;
import dev.egopose.sink.SinkReport;
import dev.egopose.synth.SyntheticDataset;
import dev.egopose.synth.SyntheticTake;
import dev.egopose.synth.SyntheticTakes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code egopose demo}: the whole system on one machine. Generates a synthetic take with exact
 * ground truth, starts an embedded broker and the stream processor, replays the take's distorted
 * fisheye frames in real time, collects the poses into a submission, scores it and draws pictures.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole system on one machine and print where the results are.",
            "Generates a synthetic take (distorted Aria frames, calibration, exact ground truth), starts an",
            "embedded Kafka broker and the stream processor (bundled tiny model unless --model), replays the",
            "fisheye frames at --fps, collects the poses into OUT/submission.json (every frame of the take's",
            "test-format annotation), scores them with the benchmark's MPJPE/PA-MPJPE (GT wrist offset), draws",
            "pictures into OUT/pictures and writes OUT/summary.json. The bundled tiny model was trained on",
            "other synthetic takes only: its scores say nothing about real Aria footage."
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: a new egopose-demo-<time> folder here).")
    Path out;

    @Option(names = "--frames", defaultValue = "60", paramLabel = "N", description = "Frames per synthetic take (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--takes", defaultValue = "1", paramLabel = "N", description = "Synthetic takes (default: ${DEFAULT-VALUE}).")
    int takes;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "S", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--fps", defaultValue = "10", paramLabel = "F",
            description = "Replay pace in frames per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}, which this 2-core machine keeps up with).")
    double fps;

    @Option(names = "--crop-mode", defaultValue = "fused", paramLabel = "MODE", description = "fused or exact (default: ${DEFAULT-VALUE}).")
    String cropMode;

    @Option(names = "--model", paramLabel = "DIR", description = "A model folder from export_potter.py (default: the bundled tiny model).")
    Path model;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--stream-threads", defaultValue = "1", paramLabel = "N",
            description = "Kafka Streams threads; with several takes their frames share model batches (default: ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--pictures", defaultValue = "3", paramLabel = "N", description = "Frames to draw (default: ${DEFAULT-VALUE}).")
    int pictures;

    @Option(names = "--source", defaultValue = "replay", paramLabel = "SOURCE",
            description = "replay: frames go to Kafka through the replayer; ingest: they are posted over HTTP to an"
                    + " in-process egopose ingest, as headsets do (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--boxes", defaultValue = "annotation", paramLabel = "SOURCE",
            description = "annotation: frames carry the annotation's boxes; hand-tracking: frames carry only the take's"
                    + " MPS-style hand tracking and the processor boxes the hands itself; detector: frames carry only"
                    + " their image and the processor finds the hands (palm detection and landmark tracking, MediaPipe's"
                    + " models from scripts/fetch-mediapipe.sh; --source replay) (default: ${DEFAULT-VALUE}).")
    String boxes;

    @Option(names = "--view", description = "Serve the live view (see egopose view) on 127.0.0.1 while the demo runs and print its address.")
    boolean view;

    @Option(names = "--view-port", defaultValue = "8480", paramLabel = "PORT", description = "Port of the live view (0 = any free port; default: ${DEFAULT-VALUE}).")
    int viewPort;

    @Option(names = "--view-linger", defaultValue = "-1", paramLabel = "SECONDS",
            description = "With --view: how long the view stays open after the demo, showing what it saw (default: until Ctrl-C).")
    double viewLinger;

    /** With --view, the view the demo opened; after the demo its feed is stopped and it still serves what it saw. */
    private ViewCommand.LiveView live;

    @Override
    public Integer call() throws Exception {
        try {
            runDemo();
            if (live != null) {
                linger();
            }
        } finally {
            if (live != null) {
                live.close();
            }
        }
        return 0;
    }

    private void runDemo() throws Exception {
        if (!boxes.equals("annotation") && !boxes.equals("hand-tracking") && !boxes.equals("detector")) {
            throw new ParameterException(spec.commandLine(), "--boxes must be annotation, hand-tracking or detector, got '" + boxes + "'");
        }
        if (boxes.equals("detector") && !source.equals("replay")) {
            throw new ParameterException(spec.commandLine(), "--boxes detector works with --source replay");
        }
        if (!source.equals("replay") && !source.equals("ingest")) {
            throw new ParameterException(spec.commandLine(), "--source must be replay or ingest, got '" + source + "'");
        }
        Path dir = out != null ? out : Path.of("egopose-demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        Path submissionFile = dir.resolve("submission.json");
        say("output folder " + dir.toAbsolutePath());

        say("generating " + takes + " synthetic take(s) of " + frames + " frames (seed " + seed + ")");
        SyntheticDataset data = SyntheticTakes.generate(dir.resolve("data"), frames, takes, seed);

        ObjectNode summary = new ObjectMapper().createObjectNode();
        say("starting an embedded Kafka broker");
        try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral(); ScratchDir state = ScratchDir.create("egopose-demo-state")) {
            Settings settings = settings(broker.bootstrapServers(), state.path(), dir.resolve("data"));
            Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
            broker.createTopics(2, topics.names());
            say("Kafka at " + broker.bootstrapServers() + "; starting the stream processor");
            try (StreamApp app = StreamApp.start(settings, Duration.ofMinutes(2))) {
                say("model " + app.model().card().modelId() + " on " + app.device() + ", crop mode " + settings.cropMode()
                        .name().toLowerCase());
                if (view) {
                    openView(settings, data);
                }
                ExecutorService sinkThread = Executors.newSingleThreadExecutor();
                try {
                    TakeSet takeSet = TakeSet.open(data.annotationTest(), data.distortedImages(), data.split(), data.calibrations());
                    Future<SinkReport> sink = sinkThread.submit(() -> runSink(settings, topics, takeSet, submissionFile));
                    ReplayReport replay = replay(settings, topics, takeSet, data);
                    say(String.format("sent %d frames (%s) in %.1f s (%d unreadable, %d refused)", replay.published(), source, replay.seconds(),
                            replay.missingImages(), replay.failedSends()));
                    SinkReport report = sink.get();
                    if (live != null) {
                        stopFeed(live, report.frames());
                    }
                    List<DeadLetter> rejected = deadLetters(settings, topics);
                    fillRunSummary(summary, report, replay, rejected, app.batcherStats(), app.model().card().modelId(), settings);
                    rejected.forEach(letter -> say("  rejected: " + letter.getReason()));
                } finally {
                    sinkThread.shutdownNow();
                }
            }
        }

        Submission submission = new SubmissionReader().read(submissionFile);
        EvaluationReport score = new Evaluator(true, true).evaluate(data.groundTruth(), submission);
        summary.put("evaluated_hands", score.overall().hands());
        summary.put("mpjpe_mm", round(score.overall().mpjpeMm()));
        summary.put("pa_mpjpe_mm", round(score.overall().paMpjpeMm()));
        summary.put("skipped_hands", score.skipped().size());

        ArrayNode pictureList = summary.putArray("pictures");
        for (RenderedFrame picture : render(data, submission, dir.resolve("pictures"))) {
            pictureList.add(dir.relativize(picture.overlay()).toString());
            pictureList.add(dir.relativize(picture.skeletons()).toString());
        }
        summary.put("note", "the model was trained on synthetic takes of other seeds; scores on real footage need a real checkpoint");
        Path summaryFile = dir.resolve("summary.json");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(summaryFile.toFile(), summary);

        System.out.printf("%nframes %d, hands %d, %.1f frames/s, capture-to-pose latency p50 %.1f ms, p99 %.1f ms%n",
                summary.get("frames").asInt(), summary.get("hands").asInt(), summary.get("frames_per_s").asDouble(),
                summary.get("latency_ms_p50").asDouble(), summary.get("latency_ms_p99").asDouble());
        System.out.printf("MPJPE %.2f mm, PA-MPJPE %.2f mm over %d hands (GT wrist offset; synthetic take)%n",
                score.overall().mpjpeMm(), score.overall().paMpjpeMm(), score.overall().hands());
        System.out.println("results in " + dir.toAbsolutePath() + ":");
        System.out.println("  submission.json   the Ego-Exo4D submission");
        System.out.println("  summary.json      throughput, latency, scores");
        System.out.println("  pictures/         overlays and GT-vs-prediction skeleton plots");
        System.out.println("  data/             the synthetic take (gt_anno, fisheye and undistorted frames, calibration)");
    }

    private void openView(Settings settings, SyntheticDataset data) {
        live = ViewCommand.LiveView.open(settings, "127.0.0.1", viewPort);
        SyntheticTake take = data.takes().get(0);
        say("live view of take " + take.name() + " at " + live.server().takeUrl(take.uid()) + " (all takes: http://" + live.server().address() + "/)");
    }

    /** Once the view has the poses the sink collected (or after 5 s), it stops reading: the broker is about to go. */
    private static void stopFeed(ViewCommand.LiveView live, long poses) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (live.board().summaries().stream().mapToLong(t -> t.poses()).sum() < poses && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        live.feed().close();
    }

    private void linger() throws InterruptedException {
        String address = "http://" + live.server().address() + "/";
        if (viewLinger < 0) {
            StopSignal stop = StopSignal.install();
            say("the live view stays open at " + address + " until Ctrl-C");
            stop.latch().await();
        } else {
            say("the live view stays open at " + address + " for " + viewLinger + " s");
            Thread.sleep((long) (viewLinger * 1000));
        }
    }

    private static void say(String line) {
        System.out.println("egopose demo: " + line);
    }

    private Settings settings(String bootstrap, Path stateDir, Path dataDir) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("bootstrap.servers", bootstrap);
        overrides.put("application.id", "egopose-demo");
        overrides.put("state.dir", stateDir.toString());
        overrides.put("crop.mode", cropMode);
        overrides.put("model.torch.threads", Integer.toString(threads));
        overrides.put("num.stream.threads", Integer.toString(streamThreads));
        overrides.put("image.uri.roots", dataDir.toString()); // frames over the inline limit travel by file: URI
        if (model != null) {
            overrides.put("model.dir", model.toString());
        }
        if (boxes.equals("detector")) {
            overrides.put("detector.enabled", "true");
        }
        return Settings.load(null, Map.of(), overrides);
    }

    private ReplayReport replay(Settings settings, Topics topics, TakeSet takeSet, SyntheticDataset data) throws Exception {
        if (source.equals("ingest")) {
            return postThroughIngest(settings, topics, takeSet, data);
        }
        try (Producer<String, Frame> producer = ReplayCommand.producer(settings, topics)) {
            Replayer replayer = new Replayer(producer, topics.frames(), fps, false);
            if (boxes.equals("detector")) {
                replayer = replayer.withoutBoxes();
            } else if (trackedBoxes()) {
                // frame n of a synthetic take is tracked at 1 s + n / 30 s, the very time the frame gets
                replayer = replayer.withHandTracking(new HandTrackingSource(data.handTracking(), data.calibrations(), null,
                        SyntheticTakes.FRAMES_PER_SECOND, SyntheticTakes.FRAME_ZERO_US, 1_000), false);
            }
            return replayer.replay(takeSet, takeSet.frames(Set.of(), 0), n -> {});
        }
    }

    /** Each frame posted over HTTP to an in-process ingest, paced at --fps, with its boxes or its hand tracking. */
    private ReplayReport postThroughIngest(Settings settings, Topics topics, TakeSet takeSet, SyntheticDataset data) throws Exception {
        HandTrackingSource tracking = new HandTrackingSource(data.handTracking(), data.calibrations(), null,
                SyntheticTakes.FRAMES_PER_SECOND, SyntheticTakes.FRAME_ZERO_US, 1_000);
        List<ReplayFrame> frames = takeSet.frames(Set.of(), 0);
        List<String> problems = new ArrayList<>();
        int published = 0;
        Pacing pacing = Pacing.startingNow(fps);
        try (Producer<String, Frame> producer = ReplayCommand.producer(settings, topics);
             IngestServer ingest = IngestCommand.start(settings, producer, topics, "127.0.0.1", 0, Duration.ofSeconds(10))) {
            say("posting frames to " + ingest.address() + IngestServer.FRAMES);
            Map<String, HeadsetClient> clients = new HashMap<>();
            for (int i = 0; i < frames.size(); i++) {
                ReplayFrame frame = frames.get(i);
                pacing.awaitFrame(i);
                HeadsetClient client = clients.computeIfAbsent(frame.takeName(), name -> headset(ingest, data.calibrations().resolve(name + ".json")));
                List<TrackedHand> hands = trackedBoxes()
                        ? tracking.sample(frame.takeName(), frame.frameNumber()).map(TrackingSample::hands).orElse(List.of())
                        : List.of();
                int status = client.post(frame.takeUid(), frame.takeName(), frame.frameNumber(), Files.readAllBytes(frame.image()),
                        trackedBoxes() ? Map.of() : frame.boxes(), hands);
                if (status == 202) {
                    published++;
                } else if (problems.size() < 20) {
                    problems.add("take " + frame.takeUid() + " frame " + frame.frameNumber() + ": ingest answered " + status);
                }
            }
        }
        return new ReplayReport(published, 0, frames.size() - published, problems, (System.nanoTime() - pacing.startNanos()) / 1e9);
    }

    private static HeadsetClient headset(IngestServer ingest, Path calibration) {
        try {
            return new HeadsetClient(ingest, Files.readString(calibration));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean trackedBoxes() {
        return boxes.equals("hand-tracking");
    }

    /** Collects the poses; the take set's (test-format) annotation is the template every frame of which must appear. */
    private static SinkReport runSink(Settings settings, Topics topics, TakeSet takeSet, Path submission) throws Exception {
        try (var consumer = SinkCommand.consumer(settings, topics, null)) {
            consumer.subscribe(List.of(settings.posesTopic()));
            return new PoseSink(consumer, submission, Optional.of(takeSet.annotation()), Duration.ofSeconds(60), Duration.ofSeconds(2))
                    .run(n -> {});
        }
    }

    /** Everything on the dead-letter topic (normally nothing). */
    private static List<DeadLetter> deadLetters(Settings settings, Topics topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(props, topics.dlq().keySerde().deserializer(),
                topics.dlq().valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.dlqTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.add(r.value()));
            }
        }
        return letters;
    }

    private void fillRunSummary(ObjectNode summary, SinkReport sink, ReplayReport replay, List<DeadLetter> rejected,
            Batcher.Stats batches, String modelId, Settings settings) {
        summary.put("frames", sink.frames());
        summary.put("hands", sink.hands());
        summary.put("seconds", round((sink.lastEmittedMs() - sink.firstCaptureMs()) / 1000.0));
        summary.put("frames_per_s", round(sink.framesPerSecond()));
        summary.put("latency_ms_p50", round(sink.latencyMsP50()));
        summary.put("latency_ms_p99", round(sink.latencyMsP99()));
        summary.put("template_complete", sink.complete());
        ObjectNode stages = summary.putObject("stage_ms_per_frame");
        stages.put("decode", round(sink.stageMeansMs().decode()));
        stages.put("crop", round(sink.stageMeansMs().crop()));
        stages.put("model", round(sink.stageMeansMs().model()));
        summary.put("replay_fps", fps);
        summary.put("replayed_frames", replay.published());
        summary.put("unreadable_frames", replay.missingImages());
        summary.put("dead_letters", rejected.size());
        summary.put("model", modelId);
        summary.put("crop_mode", settings.cropMode().name().toLowerCase());
        summary.put("source", source);
        summary.put("box_source", boxes);
        summary.put("model_batches", batches.batches());
        summary.put("mean_batch", round(batches.meanBatch()));
        summary.put("mean_batch_wait_ms", round(batches.meanQueueWaitMs()));
    }

    private List<RenderedFrame> render(SyntheticDataset data, Submission submission, Path folder) throws Exception {
        List<RenderedFrame> rendered = new ArrayList<>();
        SyntheticTake take = data.takes().get(0);
        List<Integer> numbers = take.frameNumbers();
        Renderer renderer = new Renderer();
        for (int i = 0; i < Math.min(pictures, numbers.size()); i++) {
            int frame = numbers.get(i * numbers.size() / Math.max(1, pictures));
            rendered.add(renderer.renderFrame(FrameScenes.of(data.groundTruth(), Optional.of(submission), take.uid(), frame),
                    Optional.of(data.undistortedImage(take, frame)), folder));
        }
        return rendered;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
