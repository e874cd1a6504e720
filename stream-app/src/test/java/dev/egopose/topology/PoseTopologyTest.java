package dev.egopose.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topics;
import dev.egopose.camera.CameraReference;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.model.Batcher;
import dev.egopose.model.BundledModel;
import dev.egopose.model.HandPoseModel;
import dev.egopose.model.ModelCard;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
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
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** The whole topology in a TopologyTestDriver with a fake model whose output is a function of the crop. */
class PoseTopologyTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final HandBox RIGHT_BOX = new HandBox(288.72, 325.86, 449.42, 473.67);
    private static final HandBox LEFT_BOX = new HandBox(60.0, 300.0, 200.0, 430.0);

    @TempDir
    static Path tmp;

    private static byte[] pinholeJpeg;
    private static byte[] fisheyeJpeg;

    private final HandCropper cropper = new HandCropper(new UndistortionMapCache(4), 2);
    private FakeModel model;
    private Batcher batcher;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<String, HandPoses> poses;
    private TestOutputTopic<String, DeadLetter> dlq;

    /** Joint k axis a of a crop = mean of the crop * (3k + a + 1) / 1000: any pixel change shows. */
    static final class FakeModel implements HandPoseModel {
        final List<Integer> batches = new ArrayList<>();
        private final ModelCard card;

        /** @param folder where the bundled model's card is extracted */
        FakeModel(Path folder) {
            this.card = ModelCard.read(BundledModel.extractTo(folder.resolve("model")).resolve("model.json"));
        }

        @Override
        public ModelCard card() {
            return card;
        }

        @Override
        public synchronized List<Joints3d> predict(List<float[]> crops) {
            batches.add(crops.size());
            return crops.stream().map(FakeModel::pose).toList();
        }

        static Joints3d pose(float[] crop) {
            double mean = 0;
            for (float v : crop) {
                mean += v;
            }
            mean /= crop.length;
            double[] xyz = new double[63];
            for (int i = 0; i < 63; i++) {
                xyz[i] = mean * (i + 1) / 1000.0;
            }
            return new Joints3d(xyz);
        }

        @Override
        public void close() {}
    }

    @BeforeAll
    static void images() {
        OpenCvNative.load();
        pinholeJpeg = noiseJpeg(512, 7);
        fisheyeJpeg = noiseJpeg(1408, 8);
    }

    private static byte[] noiseJpeg(int size, int seed) {
        Mat image = new Mat(size, size, CvType.CV_8UC3);
        MatOfByte out = new MatOfByte();
        try {
            Core.setRNGSeed(seed);
            Core.randu(image, 0, 256);
            Imgcodecs.imencode(".jpg", image, out);
            return out.toArray();
        } finally {
            image.release();
            out.release();
        }
    }

    /** The default limits, with URIs allowed under {@code root}. */
    static StageLimits limits(Path root) {
        try {
            return new StageLimits(8_500_000, 16 << 20, java.util.List.of(root.toRealPath()), 1, Duration.ZERO, 3, 0.5);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void start(CropMode mode) {
        model = new FakeModel(tmp);
        batcher = new Batcher(model, 16, Duration.ZERO, 1, Duration.ofMinutes(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pose-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        driver = new TopologyTestDriver(PoseTopology.build(TOPICS, cropper, mode, batcher, limits(tmp)), props);
        frames = driver.createInputTopic(TOPICS.frames().name(), new ByteArraySerializer(), new ByteArraySerializer());
        poses = driver.createOutputTopic(TOPICS.poses().name(), new StringDeserializer(), TOPICS.poses().valueSerde().deserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq().name(), new StringDeserializer(), TOPICS.dlq().valueSerde().deserializer());
    }

    @BeforeEach
    void startFused() {
        start(CropMode.FUSED);
    }

    @AfterEach
    void stop() {
        driver.close();
        batcher.close();
    }

    private static Frame.Builder pinholeFrame(String take, long number, HandBox... boxes) {
        List<dev.egopose.schema.HandBox> hands = new ArrayList<>();
        HandSide[] sides = {HandSide.RIGHT, HandSide.LEFT};
        for (int i = 0; i < boxes.length; i++) {
            hands.add(AvroMapping.toAvro(sides[i], boxes[i]));
        }
        return Frame.newBuilder()
                .setTakeUid(take)
                .setTakeName("take-" + take)
                .setFrameNumber(number)
                .setCaptureTimeNs(1_000_000L * number)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(pinholeJpeg)))
                .setWidth(512)
                .setHeight(512)
                .setOrientation(Orientation.SENSOR)
                .setCamera(new Pinhole(150.0, 150.0, 255.5, 255.5))
                .setHands(hands);
    }

    private static Frame.Builder fisheyeFrame(String take, long number, int calibSize) {
        RgbCalibration cal = CameraReference.calibration1408();
        List<Double> params = Arrays.stream(cal.model().params()).boxed().toList();
        return pinholeFrame(take, number, RIGHT_BOX, LEFT_BOX)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(fisheyeJpeg)))
                .setWidth(1408)
                .setHeight(1408)
                .setCamera(new Fisheye624(params, calibSize, calibSize));
    }

    private void send(String key, Frame frame) {
        send(key == null ? null : key.getBytes(StandardCharsets.UTF_8), TOPICS.frames().serializeValue(frame));
    }

    private void send(byte[] key, byte[] value) {
        frames.pipeInput(key, value);
    }

    private static void assertPose(Joints3d expected, dev.egopose.schema.HandPose actual) {
        double[] got = actual.getJoints().stream().mapToDouble(Double::doubleValue).toArray();
        assertArrayEquals(expected.xyz(), got, 1e-12);
    }

    @Test
    void posesEachHandOfAnUndistortedFrameFromItsBenchmarkCrop() {
        send("take-a", pinholeFrame("take-a", 3, RIGHT_BOX, LEFT_BOX).build());
        HandPoses out = poses.readValue();
        assertEquals("take-a", out.getTakeUid());
        assertEquals(3, out.getFrameNumber());
        assertEquals(3_000_000L, out.getCaptureTimeNs());
        assertEquals(2, out.getHands().size());
        List<float[]> crops = cropper.cropUndistorted(pinholeJpeg, List.of(RIGHT_BOX, LEFT_BOX));
        assertEquals(dev.egopose.schema.HandSide.RIGHT, out.getHands().get(0).getSide());
        assertPose(FakeModel.pose(crops.get(0)), out.getHands().get(0));
        assertEquals(dev.egopose.schema.HandSide.LEFT, out.getHands().get(1).getSide());
        assertPose(FakeModel.pose(crops.get(1)), out.getHands().get(1));
        assertEquals(RIGHT_BOX, AvroMapping.toDomain(out.getHands().get(0).getBox()));
        assertTrue(out.getModelId().startsWith("potter-tiny@"));
        assertTrue(out.getEmittedAtMs() >= out.getReceivedAtMs());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void fusedFisheyeCropsMatchTheCropperDirectly() {
        send("take-f", fisheyeFrame("take-f", 0, 1408).build());
        HandPoses out = poses.readValue();
        List<float[]> crops = cropper.cropFromFisheye(fisheyeJpeg, dev.egopose.camera.FrameOrientation.SENSOR,
                CameraReference.calibration1408(), List.of(RIGHT_BOX, LEFT_BOX));
        assertPose(FakeModel.pose(crops.get(0)), out.getHands().get(0));
        assertPose(FakeModel.pose(crops.get(1)), out.getHands().get(1));
    }

    @Test
    void exactFisheyeCropsMatchTheBenchmarkPath() {
        stop();
        start(CropMode.EXACT);
        send("take-e", fisheyeFrame("take-e", 0, 1408).build());
        HandPoses out = poses.readValue();
        List<float[]> crops = cropper.cropExact(fisheyeJpeg, dev.egopose.camera.FrameOrientation.SENSOR,
                CameraReference.calibration1408(), List.of(RIGHT_BOX, LEFT_BOX));
        assertPose(FakeModel.pose(crops.get(0)), out.getHands().get(0));
        assertPose(FakeModel.pose(crops.get(1)), out.getHands().get(1));
    }

    @Test
    void aFrameWithoutHandsStillYieldsItsPosesRecord() {
        send("take-a", pinholeFrame("take-a", 9).build());
        HandPoses out = poses.readValue();
        assertEquals(9, out.getFrameNumber());
        assertTrue(out.getHands().isEmpty());
        assertTrue(model.batches.isEmpty(), "no model call for a frame without hands");
    }

    @Test
    void aTakesPosesLeaveInFrameOrder() {
        for (int i = 0; i < 6; i++) {
            send("take-o", pinholeFrame("take-o", i, RIGHT_BOX).build());
        }
        List<Long> numbers = poses.readValuesToList().stream().map(HandPoses::getFrameNumber).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), numbers);
    }

    @Test
    void undecodableBytesGoToTheDeadLetterTopicWholeAndTheStreamGoesOn() {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        send("take-x".getBytes(StandardCharsets.UTF_8), garbage);
        send("take-a", pinholeFrame("take-a", 1, RIGHT_BOX).build());
        DeadLetter letter = dlq.readValue();
        assertEquals("decode", letter.getStage());
        assertTrue(letter.getReason().contains("undecodable frame for take take-x"), letter.getReason());
        assertEquals(TOPICS.frames().name(), letter.getSourceTopic());
        assertEquals(0, letter.getSourceOffset());
        assertArrayEquals(garbage, bytes(letter.getOriginalValue()));
        assertArrayEquals("take-x".getBytes(StandardCharsets.UTF_8), bytes(letter.getOriginalKey()));
        assertEquals(1, poses.readValue().getFrameNumber());
        assertEquals(1.0, metric("rejected-total", "decode"));
        assertEquals(0.0, metric("rejected-total", "crop"));
        assertEquals(1.0, metric("decode-total", "decode"));
        assertEquals(1.0, metric("crop-total", "crop"));
        assertEquals(1.0, metric("model-total", "pose"));
    }

    private double metric(String name, String stage) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().tags().containsValue(stage))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " for " + stage));
    }

    @Test
    void refusesUnkeyedAndMiskeyedFrames() {
        send(null, pinholeFrame("take-a", 1, RIGHT_BOX).build());
        send("take-b", pinholeFrame("take-a", 2, RIGHT_BOX).build());
        List<DeadLetter> letters = dlq.readValuesToList();
        assertEquals(2, letters.size());
        assertTrue(letters.get(0).getReason().contains("no key"), letters.get(0).getReason());
        assertTrue(letters.get(1).getReason().contains("record key 'take-b' is not the frame's take uid"), letters.get(1).getReason());
        assertTrue(poses.isEmpty());
    }

    @Test
    void refusesImpossibleBoxesAndDuplicateHands() {
        Frame.Builder nanBox = pinholeFrame("take-a", 1, RIGHT_BOX);
        nanBox.getHands().get(0).setX2(Double.NaN);
        send("take-a", nanBox.build());
        Frame.Builder twoRights = pinholeFrame("take-a", 2, RIGHT_BOX);
        twoRights.setHands(List.of(AvroMapping.toAvro(HandSide.RIGHT, RIGHT_BOX), AvroMapping.toAvro(HandSide.RIGHT, LEFT_BOX)));
        send("take-a", twoRights.build());
        List<DeadLetter> letters = dlq.readValuesToList();
        assertTrue(letters.get(0).getReason().contains("take take-a frame 1: field hands: right hand box has a non-finite corner"), letters.get(0).getReason());
        assertTrue(letters.get(1).getReason().contains("two boxes for the right hand"), letters.get(1).getReason());
    }

    @Test
    void refusesAnUndecodableImageAtTheCropStage() {
        // structurally whole (the decode stage passes it), but its quantisation table names table 15
        byte[] bogus = pinholeJpeg.clone();
        int dqt = 2;
        while (!((bogus[dqt] & 0xff) == 0xFF && (bogus[dqt + 1] & 0xff) == 0xDB)) {
            dqt += 2 + (((bogus[dqt + 2] & 0xff) << 8) | (bogus[dqt + 3] & 0xff));
        }
        bogus[dqt + 4] = 0x0F;
        Frame frame = pinholeFrame("take-a", 4, RIGHT_BOX)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(bogus)))
                .build();
        send("take-a", frame);
        DeadLetter letter = dlq.readValue();
        assertEquals("crop", letter.getStage());
        assertTrue(letter.getReason().startsWith("take take-a frame 4: "), letter.getReason());
    }

    @Test
    void refusesACalibrationThatDoesNotFitTheFrameNamingBothSizes() {
        send("take-f", fisheyeFrame("take-f", 0, 1000).build());
        DeadLetter letter = dlq.readValue();
        assertEquals("crop", letter.getStage());
        assertTrue(letter.getReason().contains("1408x1408") && letter.getReason().contains("1000x1000"), letter.getReason());
    }

    @Test
    void readsImagesByFileUriAndRefusesUnreadableOnes() throws Exception {
        Path image = tmp.resolve("frame.jpg");
        java.nio.file.Files.write(image, pinholeJpeg);
        send("take-u", pinholeFrame("take-u", 0, RIGHT_BOX).setImage(new ImageUri(image.toUri().toString())).build());
        send("take-u", pinholeFrame("take-u", 1, RIGHT_BOX).setImage(new ImageUri(tmp.resolve("missing.jpg").toUri().toString())).build());
        send("take-u", pinholeFrame("take-u", 2, RIGHT_BOX).setImage(new ImageUri("s3://bucket/frame.jpg")).build());
        HandPoses out = poses.readValue();
        assertPose(FakeModel.pose(cropper.cropUndistorted(pinholeJpeg, List.of(RIGHT_BOX)).get(0)), out.getHands().get(0));
        List<DeadLetter> letters = dlq.readValuesToList();
        assertTrue(letters.get(0).getReason().contains("missing.jpg does not exist"), letters.get(0).getReason());
        assertTrue(letters.get(1).getReason().contains("unsupported scheme"), letters.get(1).getReason());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
