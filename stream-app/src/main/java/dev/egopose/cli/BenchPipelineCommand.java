package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.avro.Topics;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.config.Settings;
import dev.egopose.model.Batcher;
import dev.egopose.model.BundledModel;
import dev.egopose.model.HandPoseModel;
import dev.egopose.model.ModelCard;
import dev.egopose.model.SimulatedModel;
import dev.egopose.model.djl.ModelOptions;
import dev.egopose.model.djl.TorchScriptModel;
import dev.egopose.replay.ReplayFrame;
import dev.egopose.replay.ReplayReport;
import dev.egopose.replay.Replayer;
import dev.egopose.replay.TakeSet;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.synth.SyntheticDataset;
import dev.egopose.synth.SyntheticTakes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code egopose bench pipeline}: the whole stream as fast as it goes, against the bare model under
 * the same batch policy in the same run.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "Measure how well the whole stream keeps the model busy. Starts the processor on an embedded broker,",
            "waits until its stream threads share the takes, then writes all frames of the synthetic takes at once",
            "(--takes, --frames in all; the seed is the first from --seed whose takes hash to distinct partitions",
            "of a topic with one partition per take), so the processor works through a backlog, and takes",
            "crops/s from the poses a read_committed consumer receives (left out: the first tenth of the frames,",
            "and those posed before the bench's producer has written the whole backlog, if a tenth remain after).",
            "The same backlog is first written and posed --warm-up-passes times, unmeasured, as on a processor",
            "that has served before (on two cores the JIT compilers took a quarter of the CPU in a first pass),",
            "then --rounds measured passes. Before the first pass and after each, in the same run, the bare model",
            "is driven through the same batcher (max batch, max delay) by as many callers as the processor has",
            "stream threads, each posting a frame's crops, while the processor idles. A round's ratio = its pass's",
            "crops/s / the mean of the bare runs just before and after it; the report is the round with the median ratio.",
            "Frames are the benchmark's undistorted 512x512 images, or with --fisheye the 1408x1408 fisheye",
            "frames with their calibration (undistorted and cropped by the processor).",
            "--simulated-model 'A+B*n' replaces the model by one that waits A + B*n ms per batch of n crops",
            "without using the CPU (an accelerator's cost curve): the CPU side's own limit then shows.",
            "--json prints {pipeline_crops_per_s, model_crops_per_s, ratio, mean_batch, model_busy_fraction,",
            "model_ms_per_crop {pipeline, bare}, stage_ms, rounds [{pipeline_crops_per_s, model_crops_per_s, ratio, ...}],",
            "cpu_ms_per_frame {model, stream_threads, rest, jit}, cpu_utilisation, commits, kafka_blocked_fraction, ...}."
        })
final class BenchPipelineCommand implements Callable<Integer> {
    /** How long the processor may go without emitting a pose before the bench gives up. */
    private static final Duration STALL = Duration.ofMinutes(3);
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Spec
    CommandSpec spec;

    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--model", paramLabel = "DIR", description = "Folder with model.pt and model.json (default: the bundled tiny model).")
    Path modelDir;

    @Option(names = "--frames", defaultValue = "240", paramLabel = "N", description = "Frames in all, split over the takes (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--takes", defaultValue = "4", paramLabel = "T",
            description = "Synthetic takes (1..12), each its own key and partition (default: ${DEFAULT-VALUE}).")
    int takes;

    @Option(names = "--stream-threads", defaultValue = "2", paramLabel = "N",
            description = "Kafka Streams threads sharing the batcher; the bare model gets as many callers (default: ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Option(names = "--fisheye", description = "Replay 1408x1408 fisheye frames with calibrations instead of undistorted 512x512 images.")
    boolean fisheye;

    @Option(names = "--uri", description = "Frames carry file: URIs of their images (the claim check, as replay --uri) instead of the bytes.")
    boolean imagesByUri;

    @Option(names = "--simulated-model", paramLabel = "A+B*n",
            description = "Replace the model by one that waits A + B*n ms per batch of n crops (e.g. '2+0.5*n').")
    String simulatedModel;

    /** --simulated-model, parsed once (with the card of --model); null for the real model. */
    private SimulatedModel simulated;

    @Option(names = "--warm-up-passes", defaultValue = "1", paramLabel = "P",
            description = "Times the backlog is posed, unmeasured, before the measured pass (default: ${DEFAULT-VALUE}; 0 = none).")
    int warmUpPasses;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "R",
            description = "Measured passes, each between two bare-model runs; the median round is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "11", paramLabel = "S", description = "Seed of the synthetic takes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /** What the processor did, from the poses it emitted and the batches it ran. */
    private record PipelineRun(Batcher.Stats batches, TreeMap<Integer, Long> batchSizes, double modelBusyMs,
                               String device, String modelId, CpuClock cpu, KafkaClock kafka, double windowMs) {
        /** The process's CPU time over the pass's wall time and all cores. */
        double cpuUtilisation() {
            return cpu.processMs() / (windowMs * CORES);
        }

        /** The share of the stream threads' time (from the backlog's write to its last pose) spent blocked on Kafka. */
        double kafkaBlockedFraction(int streamThreads) {
            return kafka.blockedMs() / (windowMs * streamThreads);
        }
    }

    /**
     * CPU time in ms: the whole process's, its model-call threads', its stream threads', and the JIT
     * compilers' (HotSpot's compile time; the rest of the process is the embedded broker, the bench's
     * own producer and consumer, GC and the JIT).
     */
    private record CpuClock(double processMs, double modelMs, double streamMs, double jitMs) {
        private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");

        static CpuClock now() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] ids = threads.getAllThreadIds();
            ThreadInfo[] infos = threads.getThreadInfo(ids);
            double model = 0;
            double stream = 0;
            for (int i = 0; i < ids.length; i++) {
                long nanos = infos[i] == null ? -1 : threads.getThreadCpuTime(ids[i]);
                if (nanos < 0) {
                    continue; // ended meanwhile
                }
                String name = infos[i].getThreadName();
                if (name.startsWith(Batcher.CALL_THREAD_PREFIX)) {
                    model += nanos / 1e6;
                } else if (STREAM_THREAD.matcher(name).matches()) {
                    stream += nanos / 1e6;
                }
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var jit = ManagementFactory.getCompilationMXBean();
            return new CpuClock(os.getProcessCpuTime() / 1e6, model, stream, jit == null ? 0 : jit.getTotalCompilationTime());
        }

        /** Neither the model-call nor the stream threads: the broker, the bench's clients, GC, the JIT. */
        double restMs() {
            return processMs - modelMs - streamMs;
        }

        CpuClock since(CpuClock earlier) {
            return new CpuClock(processMs - earlier.processMs, modelMs - earlier.modelMs, streamMs - earlier.streamMs, jitMs - earlier.jitMs);
        }
    }

    /**
     * The stream threads' commits and the time they spent blocked on Kafka (polls, producer flushes,
     * transaction calls), summed over threads from Kafka Streams' thread metrics ({@code commit-total},
     * {@code blocked-time-ns-total}). A thread blocked in a commit crops nothing, so the model may
     * run dry meanwhile.
     */
    private record KafkaClock(double commits, double blockedMs) {
        static KafkaClock of(KafkaStreams streams) {
            double commits = 0;
            double blocked = 0;
            for (var metric : streams.metrics().entrySet()) {
                if (metric.getKey().group().equals("stream-thread-metrics") && metric.getValue().metricValue() instanceof Number value) {
                    switch (metric.getKey().name()) {
                        case "commit-total" -> commits += value.doubleValue();
                        case "blocked-time-ns-total" -> blocked += value.doubleValue() / 1e6;
                        default -> { }
                    }
                }
            }
            return new KafkaClock(commits, blocked);
        }

        KafkaClock since(KafkaClock earlier) {
            return new KafkaClock(commits - earlier.commits, blockedMs - earlier.blockedMs);
        }
    }

    /** What the bare model did under the same batch policy. */
    private record BareRun(double cropsPerS, double meanBatch, double modelMsPerCrop) {}

    /**
     * A measured pass's figures from its poses: those emitted after the first tenth and after the
     * bench's producer finished writing the backlog ({@code writtenAtMs}, when at least a tenth of
     * the poses remain after it), so the bench's own writes do not share the measured time.
     */
    private record Pass(int frames, double cropsPerS, double framesPerS, double wallMs, double decodeMs, double cropMs, double modelMs) {
        static Pass of(List<HandPoses> poses, long writtenAtMs) {
            List<HandPoses> byEmit = poses.stream().sorted(Comparator.comparingLong(HandPoses::getEmittedAtMs)).toList();
            int warm = Math.max(1, byEmit.size() / 10);
            int written = (int) byEmit.stream().filter(p -> p.getEmittedAtMs() <= writtenAtMs).count();
            if (written > warm && byEmit.size() - written >= Math.max(2, byEmit.size() / 10)) {
                warm = written;
            }
            long from = byEmit.get(warm - 1).getEmittedAtMs();
            long to = byEmit.get(byEmit.size() - 1).getEmittedAtMs();
            List<HandPoses> measured = byEmit.subList(warm, byEmit.size());
            double seconds = Math.max(1, to - from) / 1000.0;
            long crops = measured.stream().mapToLong(p -> p.getHands().size()).sum();
            return new Pass(poses.size(), crops / seconds, measured.size() / seconds, to - byEmit.get(0).getReceivedAtMs(),
                    measured.stream().mapToDouble(HandPoses::getDecodeMs).average().orElse(Double.NaN),
                    measured.stream().mapToDouble(HandPoses::getCropMs).average().orElse(Double.NaN),
                    measured.stream().mapToDouble(HandPoses::getModelMs).average().orElse(Double.NaN));
        }
    }

    /** One measured pass between the bare model's runs just before and after it. */
    private record Round(PipelineRun run, Pass pass, BareRun before, BareRun after) {
        /** The bare runs before and after, averaged. */
        BareRun bare() {
            return new BareRun((before.cropsPerS() + after.cropsPerS()) / 2, (before.meanBatch() + after.meanBatch()) / 2,
                    (before.modelMsPerCrop() + after.modelMsPerCrop()) / 2);
        }

        double ratio() {
            return pass.cropsPerS() / bare().cropsPerS();
        }

        double modelBusyFraction() {
            return run.modelBusyMs() / pass.wallMs();
        }

        /** {@code ms} of the pass per frame it posed. */
        double perFrame(double ms) {
            return ms / pass.frames();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (frames < 10 || takes < 1 || takes > 12 || takes > frames || streamThreads < 1 || streamThreads > 16 || torchThreads < 1
                || warmUpPasses < 0 || warmUpPasses > 10 || rounds < 1 || rounds > 10) {
            throw new ParameterException(spec.commandLine(), "--frames must be at least 10 and at least --takes, --takes 1..12,"
                    + " --stream-threads 1..16, --threads at least 1, --warm-up-passes 0..10, --rounds 1..10");
        }
        settingsOptions.refuseBroker();
        Path dir = modelDir != null ? modelDir : BundledModel.extract();
        ModelCard card = TorchScriptModel.readCard(dir); // a wrong --model fails before the takes are made
        if (simulatedModel != null) {
            try {
                simulated = SimulatedModel.parse(simulatedModel, card);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--simulated-model: " + e.getMessage());
            }
        }
        TorchThreads.set(torchThreads);
        try (ScratchDir work = ScratchDir.create("egopose-bench-pipeline")) {
            int perTake = (frames + takes - 1) / takes;
            long takeSeed = seedWithOnePartitionPerTake();
            System.err.printf("bench pipeline: writing %d synthetic take(s) of %d frames (seed %d)%n", takes, perTake, takeSeed);
            SyntheticDataset data = SyntheticTakes.generate(work.resolve("data"), perTake, takes, takeSeed);
            TakeSet takeSet = fisheye
                    ? TakeSet.open(data.annotationTest(), data.distortedImages(), data.split(), data.calibrations())
                    : TakeSet.open(data.annotationTest(), data.undistortedImages(), data.split(), null);
            List<ReplayFrame> replayFrames = takeSet.frames(Set.of(), 0);

            try (EmbeddedBroker broker = EmbeddedBroker.startEphemeral()) {
                settingsOptions.overrides.putIfAbsent("application.id", "egopose-bench-pipeline");
                settingsOptions.overrides.put("bootstrap.servers", broker.bootstrapServers());
                settingsOptions.overrides.putIfAbsent("state.dir", work.resolve("state").toString());
                settingsOptions.overrides.put("model.torch.threads", Integer.toString(torchThreads));
                settingsOptions.overrides.put("num.stream.threads", Integer.toString(streamThreads));
                settingsOptions.overrides.putIfAbsent("image.uri.roots", work.resolve("data").toString());
                if (modelDir != null) {
                    settingsOptions.overrides.put("model.dir", modelDir.toString());
                }
                Settings settings = settingsOptions.load();
                Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());

                System.err.println("bench pipeline: the bare model under the same batch policy");
                BareRun first = bareModel(settings, dir, replayFrames);

                broker.createTopics(takes, topics.names());
                print(pipeline(settings, topics, dir, takeSet, replayFrames, first), settings);
            }
        }
        return 0;
    }

    /**
     * The first seed from --seed on whose takes' uids (the record keys) hash to distinct partitions of a
     * frames topic with one partition per take, as Kafka's default partitioner places them: the tasks,
     * and so the stream threads, then share the takes evenly, and the bench measures the pipeline rather
     * than how the keys happened to hash.
     */
    private long seedWithOnePartitionPerTake() {
        for (long s = seed; s < seed + 100_000; s++) {
            Set<Integer> partitions = new java.util.HashSet<>();
            for (int t = 0; t < takes; t++) {
                partitions.add(partitionOf(SyntheticTakes.takeUid(s, t), takes));
            }
            if (partitions.size() == takes) {
                return s;
            }
        }
        throw new ParameterException(spec.commandLine(), "found no seed whose " + takes + " takes land in distinct partitions; use fewer --takes");
    }

    /** The partition Kafka's default partitioner gives a record with this (string) key. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    private HandPoseModel newModel(Settings settings, Path dir) {
        if (simulated != null) {
            return simulated; // stateless: the bare run and the pipeline may share it
        }
        return TorchScriptModel.load(dir, new ModelOptions(settings.device(), settings.batchSizes(), 1));
    }

    private static String deviceOf(HandPoseModel model) {
        return model instanceof TorchScriptModel torch ? torch.device().toString() : model.toString();
    }

    /**
     * As many callers as stream threads post each frame's crops (the replayed frames' hand counts) into a
     * batcher with the processor's batch policy, as fast as it answers; the first tenth warms up.
     */
    private BareRun bareModel(Settings settings, Path dir, List<ReplayFrame> replayFrames) throws Exception {
        try (HandPoseModel model = newModel(settings, dir);
             Batcher batcher = new Batcher(model, settings.maxBatch(), Duration.ofMillis(settings.maxDelayMs()), streamThreads,
                     Duration.ofMillis(settings.modelTimeoutMs()))) {
            AtomicLong modelNanos = new AtomicLong();
            batcher.listen((crops, nanos) -> modelNanos.addAndGet(nanos));
            float[] crop = new float[model.card().cropFloats()];
            List<List<float[]>> requests = replayFrames.stream()
                    .filter(f -> !f.boxes().isEmpty())
                    .map(f -> java.util.Collections.nCopies(f.boxes().size(), crop))
                    .toList();
            int warm = requests.size() / 10;
            ExecutorService callers = Executors.newFixedThreadPool(streamThreads);
            try {
                drive(callers, batcher, requests.subList(0, warm));
                Batcher.Stats before = batcher.stats();
                modelNanos.set(0);
                long start = System.nanoTime();
                drive(callers, batcher, requests.subList(warm, requests.size()));
                double seconds = (System.nanoTime() - start) / 1e9;
                Batcher.Stats after = batcher.stats();
                long crops = after.crops() - before.crops();
                return new BareRun(crops / seconds, (double) crops / Math.max(1, after.batches() - before.batches()),
                        modelNanos.get() / 1e6 / Math.max(1, crops));
            } finally {
                callers.shutdownNow();
            }
        }
    }

    /** Each caller takes the next request in turn, as a stream thread takes its next frame. */
    private void drive(ExecutorService callers, Batcher batcher, List<List<float[]>> requests) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < streamThreads; c++) {
            running.add(callers.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                    try (Batcher.Work work = batcher.startWork()) {
                        batcher.predict(requests.get(i));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
    }

    /**
     * Starts the processor, waits until its stream threads share the takes' tasks (a first rebalance
     * gives every task to the first thread to join), then per pass writes all frames at once and reads
     * the poses; after each measured pass, with the processor idle, the bare model runs again.
     */
    private List<Round> pipeline(Settings settings, Topics topics, Path dir, TakeSet takeSet, List<ReplayFrame> replayFrames, BareRun first)
            throws Exception {
        HandPoseModel model = newModel(settings, dir);
        TreeMap<Integer, Long> sizes = new TreeMap<>();
        AtomicLong modelNanos = new AtomicLong();
        Batcher.Listener batches = (crops, nanos) -> {
            modelNanos.addAndGet(nanos);
            synchronized (sizes) {
                sizes.merge(crops, 1L, Long::sum);
            }
        };
        try (StreamApp app = StreamApp.start(settings, Duration.ofMinutes(2), model, deviceOf(model), batches);
             KafkaConsumer<String, HandPoses> consumer = posesConsumer(settings, topics)) {
            awaitTasksShared(app.streams(), Math.min(streamThreads, takes));
            for (int pass = 1; pass <= warmUpPasses; pass++) {
                write(settings, topics, takeSet, replayFrames, imagesByUri);
                System.err.printf("bench pipeline: warm-up pass %d of %d, %d frames on the frames topic%n", pass, warmUpPasses, replayFrames.size());
                consume(consumer, replayFrames.size());
            }
            List<Round> measured = new ArrayList<>();
            BareRun before = first;
            for (int round = 1; round <= rounds; round++) {
                Batcher.Stats counted = app.batcherStats();
                CpuClock cpu = CpuClock.now();
                KafkaClock kafka = KafkaClock.of(app.streams());
                long windowStart = System.nanoTime();
                synchronized (sizes) {
                    sizes.clear();
                    modelNanos.set(0);
                }
                write(settings, topics, takeSet, replayFrames, imagesByUri);
                long writtenAtMs = System.currentTimeMillis();
                System.err.printf("bench pipeline: round %d of %d, %d frames on the frames topic%n", round, rounds, replayFrames.size());
                List<HandPoses> poses = consume(consumer, replayFrames.size());
                PipelineRun run;
                synchronized (sizes) {
                    run = new PipelineRun(app.batcherStats().since(counted), new TreeMap<>(sizes), modelNanos.get() / 1e6, app.device(),
                            model.card().modelId(), CpuClock.now().since(cpu), KafkaClock.of(app.streams()).since(kafka),
                            (System.nanoTime() - windowStart) / 1e6);
                }
                // the bare model again after each pass: on a shared machine its speed drifts within a run
                System.err.printf("bench pipeline: round %d of %d, the bare model again%n", round, rounds);
                BareRun after = bareModel(settings, dir, replayFrames);
                measured.add(new Round(run, Pass.of(poses, writtenAtMs), before, after));
                before = after;
            }
            return measured;
        }
    }

    /** Writes every frame of the backlog at once. */
    private static void write(Settings settings, Topics topics, TakeSet takeSet, List<ReplayFrame> replayFrames, boolean byUri) throws Exception {
        try (Producer<String, Frame> producer = ReplayCommand.producer(settings, topics)) {
            ReplayReport sent = new Replayer(producer, topics.frames(), 0, byUri).replay(takeSet, replayFrames, n -> {});
            if (sent.published() != replayFrames.size()) {
                throw new IllegalStateException("only " + sent.published() + " of " + replayFrames.size() + " frames reached the broker: "
                        + sent.problems());
            }
        }
    }

    /** Waits (at most a minute) until this many stream threads have an active task each. */
    private static void awaitTasksShared(KafkaStreams streams, int threads) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (streams.metadataForLocalThreads().stream().filter(t -> !t.activeTasks().isEmpty()).count() < threads) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the processor's stream threads did not share the " + threads + " takes within a minute");
            }
            Thread.sleep(100);
        }
    }

    /** A read_committed consumer of the poses topic from its start, in a group of its own. */
    private static KafkaConsumer<String, HandPoses> posesConsumer(Settings settings, Topics topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-pipeline-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(settings.kafka());
        KafkaConsumer<String, HandPoses> consumer = new KafkaConsumer<>(props, new StringDeserializer(), topics.poses().valueSerde().deserializer());
        consumer.subscribe(List.of(settings.posesTopic()));
        return consumer;
    }

    /** Reads the next {@code expected} poses; stops loudly if the processor stalls. */
    private static List<HandPoses> consume(KafkaConsumer<String, HandPoses> consumer, int expected) {
        List<HandPoses> poses = new ArrayList<>();
        long lastProgress = System.nanoTime();
        int reported = 0;
        while (poses.size() < expected) {
            int before = poses.size();
            consumer.poll(Duration.ofMillis(200)).forEach(r -> poses.add(r.value()));
            if (poses.size() > before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException("the processor emitted no poses for " + STALL.toSeconds() + " s; " + poses.size() + " of "
                        + expected + " frames posed");
            }
            if (poses.size() * 10 / expected > reported) {
                reported = poses.size() * 10 / expected;
                System.err.printf("bench pipeline: %d / %d frames posed%n", poses.size(), expected);
            }
        }
        if (poses.size() > expected) {
            throw new IllegalStateException(poses.size() + " poses for " + expected + " frames: the processor posed some frame twice");
        }
        return poses;
    }

    private void print(List<Round> measured, Settings settings) {
        List<Round> byRatio = measured.stream().sorted(Comparator.comparingDouble(Round::ratio)).toList();
        Round median = byRatio.get((byRatio.size() - 1) / 2);
        int medianRound = measured.indexOf(median) + 1;
        PipelineRun run = median.run();
        Pass pass = median.pass();
        BareRun bare = median.bare();
        double pipelineMsPerCrop = run.modelBusyMs() / Math.max(1, run.batches().crops());
        CpuClock cpu = run.cpu();
        if (json) {
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("model", run.modelId()).put("device", run.device());
            out.put("frames", pass.frames()).put("takes", takes).put("fisheye", fisheye).put("warm_up_passes", warmUpPasses)
                    .put("images", imagesByUri ? "uri" : "inline");
            out.put("stream_threads", streamThreads).put("torch_threads", torchThreads);
            out.put("max_batch", settings.maxBatch()).put("max_delay_ms", settings.maxDelayMs());
            out.put("crop_mode", settings.cropMode().name().toLowerCase());
            out.put("round", medianRound);
            out.put("pipeline_crops_per_s", round(pass.cropsPerS()));
            out.put("pipeline_frames_per_s", round(pass.framesPerS()));
            out.put("model_crops_per_s", round(bare.cropsPerS()));
            out.put("model_crops_per_s_before", round(median.before().cropsPerS())).put("model_crops_per_s_after", round(median.after().cropsPerS()));
            out.put("ratio", round3(median.ratio()));
            out.put("mean_batch", round(run.batches().meanBatch()));
            out.put("model_mean_batch", round(bare.meanBatch()));
            var histogram = out.putObject("batch_sizes");
            run.batchSizes().forEach((size, count) -> histogram.put(Integer.toString(size), count));
            out.put("model_busy_fraction", round(median.modelBusyFraction()));
            // the model's own calls, per crop: slower in the pipeline when crops and Kafka share its cores
            var perCrop = out.putObject("model_ms_per_crop");
            perCrop.put("pipeline", round(pipelineMsPerCrop)).put("bare", round(bare.modelMsPerCrop()));
            var stages = out.putObject("stage_ms");
            stages.put("decode", round(pass.decodeMs())).put("crop", round(pass.cropMs())).put("model", round(pass.modelMs()))
                    .put("batch_wait", round(run.batches().meanQueueWaitMs()));
            // from the write of the pass's backlog to its last pose
            var cpuPerFrame = out.putObject("cpu_ms_per_frame");
            cpuPerFrame.put("process", round(median.perFrame(cpu.processMs()))).put("model", round(median.perFrame(cpu.modelMs())))
                    .put("stream_threads", round(median.perFrame(cpu.streamMs())))
                    .put("rest", round(median.perFrame(cpu.restMs()))).put("jit", round(median.perFrame(cpu.jitMs())));
            out.put("cpu_utilisation", round(run.cpuUtilisation())).put("cores", CORES);
            out.put("commits", Math.round(run.kafka().commits())).put("kafka_blocked_fraction", round(run.kafkaBlockedFraction(streamThreads)));
            var all = out.putArray("rounds");
            for (Round r : measured) {
                all.addObject().put("pipeline_crops_per_s", round(r.pass().cropsPerS())).put("model_crops_per_s", round(r.bare().cropsPerS()))
                        .put("ratio", round3(r.ratio())).put("model_busy_fraction", round(r.modelBusyFraction()))
                        .put("mean_batch", round(r.run().batches().meanBatch()))
                        .put("cpu_utilisation", round(r.run().cpuUtilisation()))
                        .put("kafka_blocked_fraction", round(r.run().kafkaBlockedFraction(streamThreads)))
                        .put("cpu_ms_per_frame", round(r.perFrame(r.run().cpu().processMs())))
                        .put("jit_ms_per_frame", round(r.perFrame(r.run().cpu().jitMs())));
            }
            System.out.println(out.toPrettyString());
        } else {
            System.out.printf("%s on %s, %d frames in %d take(s)%s, %d stream thread(s), torch threads %d, round %d of %d (median ratio)%n",
                    run.modelId(), run.device(), pass.frames(), takes, fisheye ? " (fisheye)" : "", streamThreads, torchThreads,
                    medianRound, measured.size());
            System.out.printf("pipeline %.1f crops/s (%.1f frames/s), bare model %.1f crops/s under the same batch policy: ratio %.3f%n",
                    pass.cropsPerS(), pass.framesPerS(), bare.cropsPerS(), median.ratio());
            System.out.printf("mean batch %.2f in the pipeline, %.2f bare; model busy %.0f%% of the pipeline's time;"
                            + " model calls %.2f ms per crop in the pipeline, %.2f bare%n",
                    run.batches().meanBatch(), bare.meanBatch(), 100 * median.modelBusyFraction(), pipelineMsPerCrop, bare.modelMsPerCrop());
            System.out.printf("per frame: decode %.1f ms, crop %.1f ms, model %.1f ms (its batch, waiting included), batch wait %.1f ms%n",
                    pass.decodeMs(), pass.cropMs(), pass.modelMs(), run.batches().meanQueueWaitMs());
            System.out.printf("CPU per frame: %.1f ms in all (model threads %.1f, stream threads %.1f, the rest %.1f of which JIT %.1f);"
                            + " %.0f%% of %d cores%n",
                    median.perFrame(cpu.processMs()), median.perFrame(cpu.modelMs()), median.perFrame(cpu.streamMs()),
                    median.perFrame(cpu.restMs()), median.perFrame(cpu.jitMs()), 100 * run.cpuUtilisation(), CORES);
            System.out.printf("stream threads: %d commits, %.0f%% of their time blocked on Kafka (polls, flushes, transactions)%n",
                    Math.round(run.kafka().commits()), 100 * run.kafkaBlockedFraction(streamThreads));
            System.out.printf("ratios by round: %s%n", String.join(", ", measured.stream().map(r -> String.format("%.3f", r.ratio())).toList()));
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
