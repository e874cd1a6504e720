package dev.egopose.cli;

import dev.egopose.avro.Topics;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.config.Settings;
import dev.egopose.crop.HandCropper;
import dev.egopose.detect.DetectorBoxes;
import dev.egopose.detect.HandDetector;
import dev.egopose.detect.HandTracker;
import dev.egopose.detect.MediaPipeModels;
import dev.egopose.model.Batcher;
import dev.egopose.model.BundledModel;
import dev.egopose.model.HandPoseModel;
import dev.egopose.model.djl.ModelOptions;
import dev.egopose.model.djl.TorchScriptModel;
import dev.egopose.topology.PoseTopology;
import dev.egopose.topology.StageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stream processor wired from its settings: model, batcher, cropper, topology, Kafka Streams. */
final class StreamApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamApp.class);

    private final HandPoseModel model;
    private final String device;
    private final Optional<HandDetector> detector;
    private final Batcher batcher;
    private final KafkaStreams streams;
    private final Topics topics;
    private final ThreadFailures failures = new ThreadFailures();
    /** Wait before the first retry of a failed model call (doubling after). */
    static final Duration RETRY_BACKOFF = Duration.ofMillis(100);

    private StreamApp(HandPoseModel model, String device, Optional<HandDetector> detector, Batcher batcher, KafkaStreams streams,
                      Topics topics) {
        this.model = model;
        this.device = device;
        this.detector = detector;
        this.batcher = batcher;
        this.streams = streams;
        this.topics = topics;
    }

    /** Loads the model, builds the topology and starts Kafka Streams; returns once it is running. */
    static StreamApp start(Settings settings, Duration startTimeout) {
        return start(settings, startTimeout, (crops, nanos) -> { });
    }

    /** The same, telling {@code batches} about every model batch from the first frame on. */
    static StreamApp start(Settings settings, Duration startTimeout, Batcher.Listener batches) {
        if (settings.torchThreads() > 0) {
            TorchThreads.set(settings.torchThreads());
        }
        Path modelDir = settings.modelDir().isEmpty() ? BundledModel.extract() : Path.of(settings.modelDir());
        TorchScriptModel model = TorchScriptModel.load(modelDir, new ModelOptions(settings.device(), settings.batchSizes(), 1));
        return start(settings, startTimeout, model, model.device().toString(), batches);
    }

    /** The same with a model already loaded (the app closes it); {@code device} names where it runs. */
    static StreamApp start(Settings settings, Duration startTimeout, HandPoseModel model, String device, Batcher.Listener batches) {
        OpenCvNative.load();
        Batcher batcher = new Batcher(model, settings.maxBatch(), Duration.ofMillis(settings.maxDelayMs()), settings.streamThreads(),
                Duration.ofMillis(settings.modelTimeoutMs()));
        batcher.listen(batches); // before Kafka Streams starts: a backlog's first batches run before start() returns
        Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        HandCropper cropper = new HandCropper(new UndistortionMapCache(8), settings.fusedReduction());
        StageLimits limits = new StageLimits(settings.imageMaxPixels(), settings.imageMaxBytes(), settings.imageUriRoots(),
                settings.modelRetries(), RETRY_BACKOFF, settings.recordMaxAttempts(), settings.trackingMinConfidence());
        // on a batcher of its own over the same model, so the processor's batch counters start at zero
        try (Batcher warmUp = new Batcher(model, settings.maxBatch(), Duration.ZERO, 1, Duration.ofMillis(settings.modelTimeoutMs()))) {
            LOG.info("frame path warmed up in {} ms", FramePathWarmUp.run(settings.fusedReduction(), warmUp, settings.cropMode(), 4));
        }
        Optional<HandDetector> detector = settings.detector() ? Optional.of(HandDetector.load(settings.detectorModelsDir().isEmpty()
                ? MediaPipeModels.defaultLocation() : new MediaPipeModels(Path.of(settings.detectorModelsDir())), 1)) : Optional.empty();
        Optional<DetectorBoxes> boxes = detector.map(d -> new DetectorBoxes(new HandTracker(d, 2)));
        KafkaStreams streams = new KafkaStreams(PoseTopology.build(topics, cropper, settings.cropMode(), batcher, limits, boxes),
                properties(settings));
        StreamApp app = new StreamApp(model, device, detector, batcher, streams, topics);
        streams.setUncaughtExceptionHandler(app.failures);
        try {
            streams.start();
            app.awaitRunning(startTimeout);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /** The model failure that stopped the processor, if one did. */
    Optional<Throwable> fatal() {
        return failures.fatal();
    }

    private static Properties properties(Settings s) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, s.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.streamThreads());
        if (!s.stateDir().isEmpty()) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir());
        }
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // A model batch may take seconds on a CPU; keep the consumer in the group meanwhile.
        props.put(StreamsConfig.consumerPrefix("max.poll.records"), 64);
        // Inline frames are large (about 400 kB for an Aria fisheye JPEG): with the consumer's default
        // 50 MB per fetch a backlog brings some hundred frames into memory at once, and the copies and
        // garbage slow the model beside them (bench pipeline, tiny, fisheye: 70-72 crops/s; 93-105 with
        // 1-4 MiB). A fetch always returns at least one record batch, however large.
        props.put(StreamsConfig.mainConsumerPrefix("fetch.max.bytes"), 2 << 20);
        // The producer's first exactly-once commit looks up the group coordinator and waits a whole
        // retry backoff (100 ms by default) before sending the offsets: 10 ms, growing exponentially to
        // retry.backoff.max.ms as before, takes ~90 ms off a new processor's first poses.
        props.put(StreamsConfig.producerPrefix("retry.backoff.ms"), 10);
        // Kafka 4.3 warns at every start unless this is true. true is what Kafka 5.0 will do anyway, and
        // it changes nothing here: the topology has no global stores, so no global thread ever runs. The
        // main consumer needs it too: its partition assignor builds a StreamsConfig of its own from the
        // consumer's settings (that was the second warning).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");
        // kafka.* settings (security, client ids, timeouts...) reach the Streams clients, after ours
        props.putAll(s.kafka());
        return props;
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException("Kafka Streams stopped while starting: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Streams not running after " + timeout + " (state " + streams.state()
                        + "); is the broker reachable and do the topics exist?");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }

    Topics topics() {
        return topics;
    }

    HandPoseModel model() {
        return model;
    }

    /** Where the model runs (cpu, gpu(0), simulated ...). */
    String device() {
        return device;
    }

    Batcher.Stats batcherStats() {
        return batcher.stats();
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /** The Kafka Streams client, for the ops metrics binding. */
    KafkaStreams streams() {
        return streams;
    }


    /** One line on what the processor has done so far, from its egopose metrics and the batcher. */
    String status() {
        double frames = 0;
        double rejected = 0;
        for (var metric : streams.metrics().entrySet()) {
            var name = metric.getKey();
            if (!"stream-egopose-metrics".equals(name.group())) {
                continue;
            }
            double value = ((Number) metric.getValue().metricValue()).doubleValue();
            if (name.name().equals("decode-total")) {
                frames += value;
            } else if (name.name().equals("rejected-total")) {
                rejected += value;
            }
        }
        Batcher.Stats batches = batcher.stats();
        return String.format("%s: %.0f frames decoded, %.0f sent to the DLQ, %d crops in %d model batches (mean %.1f, mean wait %.1f ms)",
                streams.state(), frames, rejected, batches.crops(), batches.batches(), batches.meanBatch(), batches.meanQueueWaitMs());
    }

    @Override
    public void close() {
        if (!streams.close(Duration.ofSeconds(30))) {
            LOG.warn("Kafka Streams did not close within 30 s; frames not yet committed will be processed again on restart");
        }
        batcher.close();
        model.close();
        detector.ifPresent(HandDetector::close);
    }
}
