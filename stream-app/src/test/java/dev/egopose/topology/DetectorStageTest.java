package dev.egopose.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topics;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.HandCropper;
import dev.egopose.detect.DetectorBoxes;
import dev.egopose.detect.HandDetector;
import dev.egopose.detect.HandTrack;
import dev.egopose.detect.HandTracks;
import dev.egopose.detect.HandTracker;
import dev.egopose.detect.MediaPipeModels;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.model.Batcher;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.HandSide;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import dev.egopose.synth.SyntheticDataset;
import dev.egopose.synth.SyntheticTake;
import dev.egopose.synth.SyntheticTakes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector through the whole topology with MediaPipe's real models (skipped without them):
 * frames of a synthetic take carrying no boxes are posed with boxes that overlap the ground truth,
 * the take's tracked hands are in the state store, and a frame that carries a box keeps it.
 */
class DetectorStageTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final String TAKE = "take-d";

    @TempDir
    static Path tmp;
    static SyntheticDataset dataset;
    static HandDetector detector;

    @BeforeAll
    static void setUp() throws Exception {
        MediaPipeModels models = MediaPipeModels.defaultLocation();
        assumeTrue(models.present(), "MediaPipe models not in " + models.dir() + " (scripts/fetch-mediapipe.sh)");
        OpenCvNative.load();
        dataset = SyntheticTakes.generate(tmp.resolve("synth"), 2, 1, 3);
        detector = HandDetector.load(models, 2);
    }

    @AfterAll
    static void tearDown() {
        if (detector != null) {
            detector.close();
        }
    }

    private static Frame frame(SyntheticTake take, int number, List<dev.egopose.schema.HandBox> hands) throws Exception {
        byte[] jpeg = Files.readAllBytes(dataset.undistortedImage(take, number));
        return Frame.newBuilder()
                .setTakeUid(TAKE).setTakeName("d").setFrameNumber(number).setCaptureTimeNs(number)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(jpeg)))
                .setWidth(512).setHeight(512).setOrientation(Orientation.SENSOR)
                .setCamera(new Pinhole(150.0, 150.0, 255.5, 255.5))
                .setHands(hands)
                .build();
    }

    static double iou(HandBox a, HandBox b) {
        double ix = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double iy = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = ix * iy;
        return inter / (a.width() * a.height() + b.width() * b.height() - inter);
    }

    @Test
    void framesWithoutBoxesArePosedWithDetectedBoxesAndGivenBoxesWin() throws Exception {
        Batcher batcher = new Batcher(new PoseTopologyTest.FakeModel(tmp), 4, Duration.ZERO, 1, Duration.ofMinutes(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-stage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        DetectorBoxes boxes = new DetectorBoxes(new HandTracker(detector, 2));
        try (TopologyTestDriver driver = new TopologyTestDriver(PoseTopology.build(TOPICS, new HandCropper(new UndistortionMapCache(1), 4),
                CropMode.FUSED, batcher, new StageLimits(8_500_000, 1 << 20, List.of(), 1, Duration.ZERO, 2, 0.5), Optional.of(boxes)), props)) {
            TestInputTopic<byte[], byte[]> frames = driver.createInputTopic(TOPICS.frames().name(), new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, HandPoses> poses = driver.createOutputTopic(TOPICS.poses().name(), new StringDeserializer(),
                    TOPICS.poses().valueSerde().deserializer());
            SyntheticTake take = dataset.takes().get(0);

            frames.pipeInput(TAKE.getBytes(StandardCharsets.UTF_8), TOPICS.frames().serializeValue(frame(take, 0, List.of())));
            HandPoses out = poses.readValue();
            FrameAnnotation truth = dataset.groundTruth().frame(take.uid(), 0).orElseThrow();
            assertEquals(2, out.getHands().size(), "both hands posed: " + out.getHands());
            for (var hand : out.getHands()) {
                HandBox expected = truth.hand(dev.egopose.domain.HandSide.valueOf(hand.getSide().name())).box().orElseThrow();
                HandBox got = AvroMapping.toDomain(hand.getBox());
                assertTrue(iou(expected, got) > 0.5, hand.getSide() + " box " + got + " vs truth " + expected);
            }
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(BoxesProcessor.TRACKS_STORE);
            List<HandTrack> stored = HandTracks.decode(store.get(TAKE));
            assertEquals(2, stored.size(), "the take's two tracked hands are in the store: " + stored);
            assertTrue(stored.stream().allMatch(t -> t.missed() == 0) && stored.get(0).side() != stored.get(1).side(), "one track per side: " + stored);

            HandBox given = new HandBox(10, 20, 110, 140);
            frames.pipeInput(TAKE.getBytes(StandardCharsets.UTF_8), TOPICS.frames().serializeValue(
                    frame(take, 1, List.of(AvroMapping.toAvro(dev.egopose.domain.HandSide.LEFT, given)))));
            HandPoses withBox = poses.readValue();
            assertEquals(1, withBox.getHands().size(), "a frame carrying a box is not detected on");
            assertEquals(HandSide.LEFT, withBox.getHands().get(0).getSide());
            assertEquals(given, AvroMapping.toDomain(withBox.getHands().get(0).getBox()));
        } finally {
            batcher.close();
        }
    }
}
