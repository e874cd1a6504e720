package dev.egopose.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topics;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.CameraReference;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.RigidTransform;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.CropTestImages;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.model.Batcher;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.HandSide;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import dev.egopose.schema.TrackedHand;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boxes stage in the whole topology: a frame carrying only Aria hand tracking is posed with the
 * boxes of the NumPy reference (handboxes_reference.json), a given box wins over tracking, a hand
 * below the confidence threshold is not posed, and tracking that cannot be used is dead-lettered.
 */
class BoxesStageTest {
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    static Path tmp;
    static byte[] jpeg;
    static JsonNode firstSample;
    static RigidTransform pose;

    private Batcher batcher;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<String, HandPoses> poses;
    private TestOutputTopic<String, DeadLetter> dlq;

    @BeforeAll
    static void load() throws Exception {
        OpenCvNative.load();
        jpeg = CropTestImages.solidJpeg(512, 512, 70, 110, 160);
        try (InputStream in = BoxesStageTest.class.getResourceAsStream("/dev/egopose/handtrack/handboxes_reference.json")) {
            firstSample = new ObjectMapper().readTree(in).get("samples").get(0);
        }
        pose = new CalibrationJson().parseDeviceFromCamera(CameraReference.sampleCalibrationText(), "sample").orElseThrow();
    }

    @BeforeEach
    void start() {
        batcher = new Batcher(new PoseTopologyTest.FakeModel(tmp), 4, Duration.ZERO, 1, Duration.ofMinutes(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "boxes-stage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        driver = new TopologyTestDriver(PoseTopology.build(TOPICS, new HandCropper(new UndistortionMapCache(1), 4), CropMode.FUSED, batcher,
                new StageLimits(8_500_000, 1 << 20, List.of(), 1, Duration.ZERO, 2, 0.5)), props);
        frames = driver.createInputTopic(TOPICS.frames().name(), new ByteArraySerializer(), new ByteArraySerializer());
        poses = driver.createOutputTopic(TOPICS.poses().name(), new StringDeserializer(), TOPICS.poses().valueSerde().deserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq().name(), new StringDeserializer(), TOPICS.dlq().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        batcher.close();
    }

    private static TrackedHand tracked(JsonNode hand, double confidence) {
        List<Double> landmarks = new ArrayList<>();
        hand.get("landmarks_device").forEach(v -> landmarks.add(v.asDouble()));
        return TrackedHand.newBuilder().setSide(HandSide.valueOf(hand.get("side").asText().toUpperCase()))
                .setConfidence(confidence).setLandmarks(landmarks).build();
    }

    private static Frame.Builder frame(long number, List<TrackedHand> hands) {
        return Frame.newBuilder()
                .setTakeUid("take-t").setTakeName("t").setFrameNumber(number).setCaptureTimeNs(number)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(jpeg)))
                .setWidth(512).setHeight(512).setOrientation(Orientation.SENSOR)
                .setCamera(new Pinhole(150.0, 150.0, 255.5, 255.5))
                .setHands(List.of())
                .setDeviceFromCamera(new dev.egopose.schema.RigidTransform(Arrays.stream(pose.translation()).boxed().toList(),
                        Arrays.stream(pose.rotation()).boxed().toList()))
                .setHandTracking(hands);
    }

    private void send(Frame frame) {
        frames.pipeInput("take-t".getBytes(StandardCharsets.UTF_8), TOPICS.frames().serializeValue(frame));
    }

    private static void assertBox(JsonNode expected, dev.egopose.schema.HandBox got) {
        HandBox box = AvroMapping.toDomain(got);
        double[] e = CameraReference.doubles(expected);
        assertEquals(e[0], box.x1(), 1e-6);
        assertEquals(e[1], box.y1(), 1e-6);
        assertEquals(e[2], box.x2(), 1e-6);
        assertEquals(e[3], box.y2(), 1e-6);
    }

    @Test
    void trackedHandsArePosedWithTheReferenceBoxes() {
        JsonNode left = firstSample.get("hands").get(0);
        JsonNode right = firstSample.get("hands").get(1);
        send(frame(0, List.of(tracked(left, 0.9), tracked(right, 0.95))).build());
        HandPoses out = poses.readValue();
        assertEquals(2, out.getHands().size());
        for (var hand : out.getHands()) {
            assertBox((hand.getSide() == HandSide.LEFT ? left : right).get("box_undistorted"), hand.getBox());
        }
        assertTrue(dlq.isEmpty());
    }

    @Test
    void aGivenBoxWinsAndALowConfidenceHandIsNotPosed() {
        JsonNode left = firstSample.get("hands").get(0);
        JsonNode right = firstSample.get("hands").get(1);
        HandBox given = new HandBox(10, 20, 200, 220);
        send(frame(0, List.of(tracked(left, 0.9), tracked(right, 0.95)))
                .setHands(List.of(AvroMapping.toAvro(dev.egopose.domain.HandSide.RIGHT, given))).build());
        send(frame(1, List.of(tracked(left, 0.2))).build());
        List<HandPoses> out = poses.readValuesToList();
        var rightHand = out.get(0).getHands().stream().filter(h -> h.getSide() == HandSide.RIGHT).findFirst().orElseThrow();
        assertEquals(given, AvroMapping.toDomain(rightHand.getBox()));
        assertEquals(2, out.get(0).getHands().size());
        assertTrue(out.get(1).getHands().isEmpty(), "a hand tracked with confidence 0.2 is not posed");
    }

    @Test
    void trackingThatCannotBeUsedIsDeadLettered() {
        JsonNode left = firstSample.get("hands").get(0);
        send(frame(0, List.of(tracked(left, 0.9))).setDeviceFromCamera(null).build());
        TrackedHand cut = tracked(left, 0.9);
        cut.setLandmarks(cut.getLandmarks().subList(0, 30));
        send(frame(1, List.of(cut)).build());
        send(frame(2, List.of(tracked(left, 0.9), tracked(left, 0.8))).build());
        List<String> reasons = dlq.readValuesToList().stream().map(DeadLetter::getReason).toList();
        assertTrue(reasons.get(0).contains("frame 0: field deviceFromCamera: the frame carries hand tracking but not"), reasons.get(0));
        assertTrue(reasons.get(1).contains("frame 1: field handTracking: left hand has 30 landmark values, expected 63"), reasons.get(1));
        assertTrue(reasons.get(2).contains("frame 2: field handTracking: two tracked left hands"), reasons.get(2));
        assertTrue(poses.isEmpty());
    }
}
