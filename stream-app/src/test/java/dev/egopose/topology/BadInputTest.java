package dev.egopose.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topics;
import dev.egopose.camera.CameraReference;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.model.Batcher;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Every kind of bad input, each through the whole topology (real decode and crop stages, a fake
 * model): the record reaches the dead-letter topic with its original bytes and a reason naming
 * take, frame and field, and a good frame behind it in the same partition is still posed. The
 * reasons each kind gets are written to {@code target/bad-input/reasons.md} (the README's table).
 */
class BadInputTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final String TAKE = "take-bad";
    private static final HandBox BOX = new HandBox(288.72, 325.86, 449.42, 473.67);
    private static final long MAX_BYTES = 4 << 20;
    private static final List<String> TABLE = new ArrayList<>();

    @TempDir
    static Path tmp;
    static Path root;
    static byte[] jpeg512;
    static byte[] jpeg1408;

    private Batcher batcher;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<String, HandPoses> poses;
    private TestOutputTopic<String, DeadLetter> dlq;

    /** One kind of bad input: the record to send, the stage that must refuse it, what its reason must say. */
    record Case(String kind, byte[] key, byte[] value, String stage, String reason) {
        @Override
        public String toString() {
            return kind;
        }
    }

    @BeforeAll
    static void files() throws IOException {
        OpenCvNative.load();
        jpeg512 = smoothJpeg(512, 512);
        jpeg1408 = smoothJpeg(1408, 1408);
        root = Files.createDirectories(tmp.resolve("frames")).toRealPath();
        Files.write(root.resolve("good.jpg"), jpeg512);
        Files.createDirectories(root.resolve("a-folder"));
        Files.createSymbolicLink(root.resolve("passwd.jpg"), Path.of("/etc/passwd"));
        Files.write(root.resolve("huge.jpg"), new byte[(int) MAX_BYTES + 1]);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(outside.resolve("secret.jpg"), "root:x:0:0:secret".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void writeTable() throws IOException {
        Path out = Path.of("target/bad-input/reasons.md");
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>(List.of("| bad input | stage | reason (as the dead letter says it) |", "|---|---|---|"));
        lines.addAll(TABLE.stream().sorted().toList());
        Files.write(out, lines);
    }

    private static byte[] smoothJpeg(int cols, int rows) {
        Mat image = new Mat(rows, cols, CvType.CV_8UC3, new Scalar(40, 90, 160));
        MatOfByte out = new MatOfByte();
        try {
            org.opencv.imgproc.Imgproc.circle(image, new org.opencv.core.Point(cols / 2.0, rows / 2.0), rows / 4, new Scalar(200, 180, 150), -1);
            Imgcodecs.imencode(".jpg", image, out);
            return out.toArray();
        } finally {
            image.release();
            out.release();
        }
    }

    @BeforeEach
    void start() {
        start(new StageLimits(8_500_000, MAX_BYTES, List.of(root), 1, Duration.ZERO, 3, 0.5));
    }

    private void start(StageLimits limits) {
        batcher = new Batcher(new PoseTopologyTest.FakeModel(tmp), 16, Duration.ZERO, 1, Duration.ofMinutes(1));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bad-input-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        HandCropper cropper = new HandCropper(new UndistortionMapCache(2), 4);
        driver = new TopologyTestDriver(PoseTopology.build(TOPICS, cropper, CropMode.FUSED, batcher, limits), props);
        frames = driver.createInputTopic(TOPICS.frames().name(), new ByteArraySerializer(), new ByteArraySerializer());
        poses = driver.createOutputTopic(TOPICS.poses().name(), new StringDeserializer(), TOPICS.poses().valueSerde().deserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq().name(), new StringDeserializer(), TOPICS.dlq().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        batcher.close();
    }

    private static Frame.Builder frame(long number) {
        return Frame.newBuilder()
                .setTakeUid(TAKE).setTakeName("bad_take").setFrameNumber(number).setCaptureTimeNs(1_000L * number)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(jpeg512)))
                .setWidth(512).setHeight(512).setOrientation(Orientation.SENSOR)
                .setCamera(new Pinhole(150.0, 150.0, 255.5, 255.5))
                .setHands(new ArrayList<>(List.of(AvroMapping.toAvro(HandSide.RIGHT, BOX))));
    }

    private static Frame.Builder fisheye(long number) {
        List<Double> params = Arrays.stream(CameraReference.calibration1408().model().params()).boxed().toList();
        return frame(number).setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(jpeg1408)))
                .setWidth(1408).setHeight(1408).setCamera(new Fisheye624(new ArrayList<>(params), 1408, 1408));
    }

    private static byte[] key() {
        return TAKE.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(Frame frame) {
        return TOPICS.frames().serializeValue(frame);
    }

    private static Case bad(String kind, Frame.Builder frame, String stage, String reason) {
        return new Case(kind, key(), value(frame.build()), stage, reason);
    }

    private static Frame.Builder inline(Frame.Builder frame, byte[] image) {
        return frame.setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(image)));
    }

    private static Frame.Builder uri(String uri) {
        return frame(1).setImage(new ImageUri(uri));
    }

    private static byte[] edit(byte[] bytes, UnaryOperator<byte[]> change) {
        return change.apply(bytes.clone());
    }

    static Stream<Case> cases() {
        byte[] good = value(frame(1).build());
        byte[] notAJpeg = new byte[3000];
        new java.util.Random(5).nextBytes(notAJpeg);
        notAJpeg[0] = 0x42;
        byte[] pngBadCrc = pngWithFlippedByte();
        return Stream.of(
                new Case("record without a key", null, good, "decode", "record has no key"),
                new Case("record without a value (tombstone)", key(), null, "decode", "record for take take-bad has no value"),
                new Case("bytes that are not Avro", key(), "{\"frame\": 1}".getBytes(StandardCharsets.UTF_8), "decode",
                        "not Avro single-object encoding"),
                new Case("Avro cut short", key(), Arrays.copyOf(good, good.length / 2), "decode", "the body does not decode"),
                new Case("Avro of an unknown schema", key(), edit(good, b -> { b[5] ^= 0x55; return b; }), "decode",
                        "written with an unknown schema"),
                new Case("Avro with a corrupt length (would allocate 268 MB)", key(), hugeLength(), "decode",
                        "the body does not decode"),
                bad("record key is not the frame's take", frame(1).setTakeUid("another-take"), "decode",
                        "take another-take frame 1: field key: record key 'take-bad' is not the frame's take uid"),
                bad("image size not positive", frame(1).setWidth(0), "decode", "frame 1: field width/height: image size 0x512 is not positive"),
                bad("two boxes for one hand", frame(1).setHands(List.of(AvroMapping.toAvro(HandSide.RIGHT, BOX), AvroMapping.toAvro(HandSide.RIGHT, BOX))),
                        "decode", "frame 1: field hands: two boxes for the right hand"),
                bad("box with a NaN corner", boxWithNaN(), "decode", "frame 1: field hands: right hand box has a non-finite corner"),
                bad("Fisheye624 with 14 parameters", withParams(fisheye(1), p -> p.remove(14)), "decode",
                        "frame 1: field camera.params: Fisheye624 camera has 14 parameters, expected 15"),
                bad("Fisheye624 with an infinite parameter", withParams(fisheye(1), p -> p.set(3, Double.POSITIVE_INFINITY)), "decode",
                        "frame 1: field camera.params: Fisheye624 parameter 3 is Infinity"),
                bad("calibration size not positive", fisheye(1).setCamera(new Fisheye624(
                        new ArrayList<>(Arrays.stream(CameraReference.calibration1408().model().params()).boxed().toList()), 0, 1408)),
                        "decode", "frame 1: field camera.calibWidth/calibHeight: calibration size 0x1408 is not positive"),
                bad("calibration that does not fit the frame", fisheye(1).setCamera(new Fisheye624(
                        new ArrayList<>(Arrays.stream(CameraReference.calibration1408().model().params()).boxed().toList()), 1000, 1000)),
                        "crop", "frame 1: field camera: "),
                bad("empty inline image", inline(frame(1), new byte[0]), "decode", "frame 1: field image.bytes: inline image is empty"),
                bad("inline image over image.max.bytes", inline(frame(1), Arrays.copyOf(jpeg512, (int) MAX_BYTES + 1)), "decode",
                        "frame 1: field image.bytes: inline image of 4194305 bytes is larger than image.max.bytes = 4194304"),
                bad("image that is neither JPEG nor PNG", inline(frame(1), notAJpeg), "decode", "frame 1: field image: not a JPEG or PNG image"),
                bad("poison pill: JPEG header declaring 60000x60000", inline(frame(1), declared(60000, 60000)).setWidth(60000).setHeight(60000),
                        "decode", "frame 1: field image: JPEG header gives 60000x60000 = 3600000000 pixels, more than image.max.pixels = 8500000"),
                bad("decompression bomb: 30000x30000 JPEG on a 512x512 frame", inline(frame(1), declared(30000, 30000)), "decode",
                        "frame 1: field image: JPEG header gives 30000x30000"),
                bad("JPEG of another size than the frame declares", inline(frame(1), declared(640, 480)), "decode",
                        "frame 1: field width/height: the frame declares 512x512 but its JPEG header gives 640x480"),
                bad("truncated JPEG", inline(frame(1), Arrays.copyOf(jpeg512, jpeg512.length * 2 / 3)), "decode",
                        "frame 1: field image: truncated JPEG"),
                bad("PNG with a bad checksum", frame(1).setImage(new InlineImage(ImageEncoding.PNG, ByteBuffer.wrap(pngBadCrc))), "decode",
                        "frame 1: field image: corrupt PNG: checksum of chunk"),
                bad("encoding says PNG, bytes are JPEG", frame(1).setImage(new InlineImage(ImageEncoding.PNG, ByteBuffer.wrap(jpeg512))), "decode",
                        "frame 1: field image.encoding: says PNG but the bytes are a JPEG"),
                bad("whole JPEG that does not decode (bogus quantisation table)", inline(frame(1), bogusTable(jpeg512)), "crop",
                        "frame 1: field image: cannot decode"),
                bad("URI outside image.uri.roots (/etc/passwd)", uri("file:///etc/passwd"), "decode",
                        "frame 1: field image.uri: file:///etc/passwd is outside image.uri.roots"),
                bad("URI of a device (/dev/zero)", uri("file:///dev/zero"), "decode", "file:///dev/zero is outside image.uri.roots"),
                bad("URI escaping the root with ..", uri(root.toUri() + "../outside/secret.jpg"), "decode", "is outside image.uri.roots"),
                bad("URI through a symlink out of the root", uri(root.resolve("passwd.jpg").toUri().toString()), "decode",
                        "passwd.jpg is outside image.uri.roots"),
                bad("URI of a folder", uri(root.resolve("a-folder").toUri().toString()), "decode", "a-folder/ is not a regular file"),
                bad("URI of a missing file", uri(root.resolve("missing.jpg").toUri().toString()), "decode", "missing.jpg does not exist"),
                bad("URI of a file over image.max.bytes", uri(root.resolve("huge.jpg").toUri().toString()), "decode",
                        "huge.jpg holds 4194305 bytes, more than image.max.bytes = 4194304"),
                bad("URI with another scheme", uri("http://127.0.0.1/frame.jpg"), "decode", "has an unsupported scheme (only file: is read)"),
                bad("URI with a host", uri("file://elsewhere/frames/x.jpg"), "decode", "must be a plain file:/// URI"),
                bad("malformed URI", uri("file:///frames/a b^.jpg"), "decode", "is malformed"));
    }

    private static Frame.Builder boxWithNaN() {
        Frame.Builder f = frame(1);
        f.getHands().get(0).setX2(Double.NaN);
        return f;
    }

    private static Frame.Builder withParams(Frame.Builder f, java.util.function.Consumer<List<Double>> change) {
        List<Double> params = new ArrayList<>(((Fisheye624) f.getCamera()).getParams());
        change.accept(params);
        return f.setCamera(new Fisheye624(params, 1408, 1408));
    }

    /** The 512 JPEG with its frame header changed to declare another size. */
    private static byte[] declared(int width, int height) {
        byte[] b = jpeg512.clone();
        int sof = 2;
        while (!((b[sof] & 0xff) == 0xFF && (b[sof + 1] & 0xff) == 0xC0)) {
            sof += 2 + (((b[sof + 2] & 0xff) << 8) | (b[sof + 3] & 0xff));
        }
        b[sof + 5] = (byte) (height >> 8);
        b[sof + 6] = (byte) height;
        b[sof + 7] = (byte) (width >> 8);
        b[sof + 8] = (byte) width;
        return b;
    }

    /** A serialised frame whose last varint (the empty hands array's count) claims 2^27 items. */
    private static byte[] hugeLength() {
        byte[] bytes = value(frame(1).setHands(List.of()).build());
        byte[] out = Arrays.copyOf(bytes, bytes.length + 3);
        // zig-zag varint of 134217728: 0x80 0x80 0x80 0x80 0x01
        out[bytes.length - 1] = (byte) 0x80;
        out[bytes.length] = (byte) 0x80;
        out[bytes.length + 1] = (byte) 0x80;
        out[bytes.length + 2] = (byte) 0x01;
        return out;
    }

    private static byte[] bogusTable(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int at = 2;
        while (!((b[at] & 0xff) == 0xFF && (b[at + 1] & 0xff) == 0xDB)) {
            at += 2 + (((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff));
        }
        b[at + 4] = 0x0F;
        return b;
    }

    private static byte[] pngWithFlippedByte() {
        Mat image = new Mat(512, 512, CvType.CV_8UC3, new Scalar(10, 20, 30));
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".png", image, out);
            byte[] png = out.toArray();
            png[png.length - 20] ^= 0x01;
            return png;
        } finally {
            image.release();
            out.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isDeadLetteredWholeAndTheFrameBehindItIsPosed(Case c) {
        frames.pipeInput(c.key(), c.value());
        frames.pipeInput(key(), value(frame(2).build()));

        List<DeadLetter> letters = dlq.readValuesToList();
        assertEquals(1, letters.size(), "dead letters for " + c.kind());
        DeadLetter letter = letters.get(0);
        assertEquals(c.stage(), letter.getStage(), letter.getReason());
        assertTrue(letter.getReason().contains(c.reason()), "reason: " + letter.getReason());
        assertArrayEquals(c.value(), bytes(letter.getOriginalValue()));
        assertArrayEquals(c.key(), bytes(letter.getOriginalKey()));
        assertEquals(0, letter.getSourceOffset());
        assertEquals("bad-input-test", letter.getApplicationId());
        assertFalse(letter.getReason().contains("root:x") || letter.getReason().contains("726f6f74"), "file contents in " + letter.getReason());

        List<HandPoses> posed = poses.readValuesToList();
        assertEquals(List.of(2L), posed.stream().map(HandPoses::getFrameNumber).toList(), "only the good frame behind it is posed");
        assertEquals(1, posed.get(0).getHands().size());
        synchronized (TABLE) {
            TABLE.add("| " + c.kind() + " | " + c.stage() + " | " + letter.getReason().replace("|", "\\|") + " |");
        }
    }

    @Test
    void aUriInsideTheRootIsReadAndPosed() {
        frames.pipeInput(key(), value(uri(root.resolve("good.jpg").toUri().toString()).build()));
        assertEquals(1, poses.readValue().getFrameNumber());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void withoutRootsEveryFileUriIsRefused() {
        stop();
        start(new StageLimits(8_500_000, MAX_BYTES, List.of(), 1, Duration.ZERO, 3, 0.5));
        frames.pipeInput(key(), value(uri(root.resolve("good.jpg").toUri().toString()).build()));
        DeadLetter letter = dlq.readValue();
        assertTrue(letter.getReason().contains("file: URIs are read only from the folders in image.uri.roots, and none is set"), letter.getReason());
        assertTrue(poses.isEmpty());
    }

    @Test
    void theSameAnswerWhetherOrNotAFileOutsideTheRootsExists() {
        frames.pipeInput(key(), value(uri("file:///etc/passwd").build()));
        frames.pipeInput(key(), value(uri("file:///etc/no-such-file-here").build()));
        List<String> reasons = dlq.readValuesToList().stream().map(DeadLetter::getReason).toList();
        assertEquals(reasons.get(0).replace("passwd", "X"), reasons.get(1).replace("no-such-file-here", "X"));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
