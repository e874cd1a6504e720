package dev.egopose.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topics;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.CropTestImages;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.model.Batcher;
import dev.egopose.model.HandPoseModel;
import dev.egopose.model.ModelCard;
import dev.egopose.model.ModelUnavailableException;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing model is a failure of the system, not bad input: frames are posed once it recovers
 * (transient errors, stalls past the call timeout), a frame is dead-lettered only when the model
 * fails on it alone while it poses a blank crop, and a model that fails on everything stops the
 * stream with nothing dead-lettered.
 */
class ModelFaultTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final HandBox BOX = new HandBox(100, 100, 300, 300);

    @TempDir
    static Path tmp;
    static byte[] grey;
    static byte[] white;

    private Batcher batcher;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<String, HandPoses> poses;
    private TestOutputTopic<String, DeadLetter> dlq;

    /**
     * The fake model of the topology test, with faults: a call numbered {@code n} (from 1) fails while
     * {@code failCall} says so, stalls {@code stallMs} while {@code stallCall} says so, and any crop
     * matching {@code poison} fails every call it is in.
     */
    static final class FaultyModel implements HandPoseModel {
        final AtomicInteger calls = new AtomicInteger();
        private final PoseTopologyTest.FakeModel inner = new PoseTopologyTest.FakeModel(tmp);
        private final IntPredicate failCall;
        private final IntPredicate stallCall;
        private final long stallMs;
        private final Predicate<float[]> poison;

        FaultyModel(IntPredicate failCall, IntPredicate stallCall, long stallMs, Predicate<float[]> poison) {
            this.failCall = failCall;
            this.stallCall = stallCall;
            this.stallMs = stallMs;
            this.poison = poison;
        }

        @Override
        public ModelCard card() {
            return inner.card();
        }

        @Override
        public List<Joints3d> predict(List<float[]> crops) {
            int n = calls.incrementAndGet();
            if (stallCall.test(n)) {
                try {
                    Thread.sleep(stallMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failCall.test(n)) {
                throw new IllegalStateException("injected: device lost (call " + n + ")");
            }
            if (crops.stream().anyMatch(poison)) {
                throw new IllegalStateException("injected: libtorch error on this input (call " + n + ")");
            }
            return inner.predict(crops);
        }

        @Override
        public void close() {}
    }

    @BeforeAll
    static void images() {
        OpenCvNative.load();
        grey = CropTestImages.solidJpeg(512, 512, 128, 128, 128);
        white = CropTestImages.solidJpeg(512, 512, 255, 255, 255);
    }

    /** A crop of the all-white frame: every normalised value is high. */
    private static boolean isWhite(float[] crop) {
        return crop[crop.length / 2] > 1.5f;
    }

    private FaultyModel start(FaultyModel model, Duration callTimeout) {
        batcher = new Batcher(model, 4, Duration.ZERO, 1, callTimeout);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "model-fault-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        StageLimits limits = new StageLimits(8_500_000, 1 << 20, List.of(), 3, Duration.ofMillis(10), 3, 0.5);
        driver = new TopologyTestDriver(PoseTopology.build(TOPICS, new HandCropper(new UndistortionMapCache(1), 4), CropMode.FUSED,
                batcher, limits), props);
        frames = driver.createInputTopic(TOPICS.frames().name(), new ByteArraySerializer(), new ByteArraySerializer());
        poses = driver.createOutputTopic(TOPICS.poses().name(), new StringDeserializer(), TOPICS.poses().valueSerde().deserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq().name(), new StringDeserializer(), TOPICS.dlq().valueSerde().deserializer());
        return model;
    }

    @AfterEach
    void stop() {
        driver.close();
        batcher.close();
    }

    private void send(long number, byte[] image) {
        Frame frame = Frame.newBuilder()
                .setTakeUid("take-m").setTakeName("m").setFrameNumber(number).setCaptureTimeNs(number)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(image)))
                .setWidth(512).setHeight(512).setOrientation(Orientation.SENSOR)
                .setCamera(new Pinhole(150.0, 150.0, 255.5, 255.5))
                .setHands(List.of(AvroMapping.toAvro(HandSide.LEFT, BOX)))
                .build();
        frames.pipeInput("take-m".getBytes(StandardCharsets.UTF_8), TOPICS.frames().serializeValue(frame));
    }

    private List<Long> posedFrames() {
        return poses.readValuesToList().stream().map(HandPoses::getFrameNumber).toList();
    }

    @Test
    void transientFailuresAreRetriedAndTheFramesPosed() {
        FaultyModel model = start(new FaultyModel(n -> n <= 2, n -> false, 0, c -> false), Duration.ofSeconds(10));
        send(0, grey);
        send(1, grey);
        assertEquals(List.of(0L, 1L), posedFrames());
        assertTrue(dlq.isEmpty(), "a model failure is not bad input");
        assertEquals(4, model.calls.get(), "two failed calls, then one per frame");
    }

    @Test
    void aStalledCallTimesOutAndTheRetryPosesTheFrame() {
        FaultyModel model = start(new FaultyModel(n -> false, n -> n == 1, 3_000, c -> false), Duration.ofMillis(300));
        long start = System.nanoTime();
        send(0, grey);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of(0L), posedFrames());
        assertTrue(dlq.isEmpty());
        assertTrue(ms < 2_500, "the frame waited for the stalled call (" + ms + " ms) instead of its timeout");
        assertEquals(2, model.calls.get());
    }

    @Test
    void aFrameTheModelFailsOnAloneIsDeadLetteredAndTheNextOnePosed() {
        start(new FaultyModel(n -> false, n -> false, 0, ModelFaultTest::isWhite), Duration.ofSeconds(10));
        send(0, white);
        send(1, grey);
        assertEquals(List.of(1L), posedFrames());
        DeadLetter letter = dlq.readValue();
        assertEquals("pose", letter.getStage());
        assertTrue(letter.getReason().startsWith("take take-m frame 0: the model fails on this frame's crops, alone, twice"), letter.getReason());
        assertTrue(letter.getReason().contains("while it poses a blank crop"), letter.getReason());
        assertEquals(IllegalStateException.class.getName(), letter.getExceptionClass());
    }

    @Test
    void aModelThatFailsOnEverythingStopsTheStreamAndDeadLettersNothing() {
        start(new FaultyModel(n -> true, n -> false, 0, c -> false), Duration.ofSeconds(10));
        RuntimeException e = assertThrows(RuntimeException.class, () -> send(0, grey));
        boolean unavailable = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            unavailable |= c instanceof ModelUnavailableException;
        }
        assertTrue(unavailable, "expected ModelUnavailableException in the cause chain of " + e);
        assertTrue(dlq.isEmpty(), "nothing is dead-lettered for a model that is down");
        assertTrue(poses.isEmpty());
    }

    @Test
    void aModelThatStallsOnEverythingStopsTheStreamToo() {
        start(new FaultyModel(n -> false, n -> true, 2_000, c -> false), Duration.ofMillis(100));
        assertThrows(RuntimeException.class, () -> send(0, grey));
        assertTrue(dlq.isEmpty());
    }
}
