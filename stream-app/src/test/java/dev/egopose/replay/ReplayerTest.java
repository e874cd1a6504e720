package dev.egopose.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.avro.Topic;
import dev.egopose.avro.Topics;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandBox;
import dev.egopose.schema.HandSide;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ReplayerTest {
    private static final String TAKE_A = "0df55687-74be-4dbf-aebe-fe0951b17ecf";
    private static final String TAKE_B = "7a1c5a1e-1111-4222-8333-944444444444";
    private static final Topic<String, Frame> FRAMES = Topics.defaults().frames();

    @TempDir
    Path root;

    private Path images;
    private Path anno;

    @BeforeAll
    static void opencv() {
        OpenCvNative.load();
    }

    @BeforeEach
    void layout() throws IOException {
        images = Files.createDirectories(root.resolve("images"));
        anno = new GtAnnoJson()
                .frame(TAKE_B, "take_b", 2, null, new double[] {1, 2, 30, 40})
                .frame(TAKE_A, "upenn_0710_Guitar_1_6", 398, new double[] {288.72, 325.86, 449.42, 473.67}, null)
                .frame(TAKE_A, "upenn_0710_Guitar_1_6", 12, new double[] {10, 20, 110, 220}, new double[] {300, 310, 400, 420})
                .write(root.resolve("ego_pose_gt_anno_test_public.json"));
        jpeg(images.resolve("test/upenn_0710_Guitar_1_6/000012.jpg"), 64, 48);
        jpeg(images.resolve("test/upenn_0710_Guitar_1_6/000398.jpg"), 80, 60);
        jpeg(images.resolve("test/take_b/000002.jpg"), 32, 16);
    }

    /** Writes a grey JPEG of cols x rows. */
    private static void jpeg(Path file, int cols, int rows) throws IOException {
        Mat image = new Mat(rows, cols, CvType.CV_8UC3, new Scalar(90, 120, 150));
        MatOfByte out = new MatOfByte();
        try {
            assertTrue(Imgcodecs.imencode(".jpg", image, out));
            Files.createDirectories(file.getParent());
            Files.write(file, out.toArray());
        } finally {
            image.release();
            out.release();
        }
    }

    private static MockProducer<String, Frame> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), FRAMES.valueSerde().serializer());
    }

    private static List<Frame> values(MockProducer<String, Frame> producer) {
        return producer.history().stream().map(ProducerRecord::value).toList();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] b = new byte[copy.remaining()];
        copy.get(b);
        return b;
    }

    private static HandBox box(HandSide side, double x1, double y1, double x2, double y2) {
        return new HandBox(side, x1, y1, x2, y2);
    }

    @Test
    void framesGoOutKeyedByTakeInOrderWithBoxesAndThePinholeCamera() throws Exception {
        TakeSet set = TakeSet.open(anno, images, null, null);
        List<ReplayFrame> frames = set.frames(Set.of(), 0);
        MockProducer<String, Frame> producer = producer(true);
        List<Integer> progress = new ArrayList<>();
        long before = System.currentTimeMillis();

        ReplayReport report = new Replayer(producer, FRAMES, 0, false).replay(set, frames, progress::add);

        long after = System.currentTimeMillis();
        assertEquals(new ReplayReport(3, 0, 0, List.of(), report.seconds()), report);
        assertEquals(List.of(1, 2, 3), progress);
        assertEquals(List.of(TAKE_A, TAKE_A, TAKE_B), producer.history().stream().map(ProducerRecord::key).toList());
        assertTrue(producer.history().stream().allMatch(r -> r.topic().equals("egopose.frames")));
        List<Frame> sent = values(producer);
        assertEquals(List.of(12L, 398L, 2L), sent.stream().map(Frame::getFrameNumber).toList());
        assertEquals(List.of("upenn_0710_Guitar_1_6", "upenn_0710_Guitar_1_6", "take_b"), sent.stream().map(f -> f.getTakeName().toString()).toList());
        assertEquals(List.of(TAKE_A, TAKE_A, TAKE_B), sent.stream().map(f -> f.getTakeUid().toString()).toList());

        // boxes as in the annotation (order of sides within a frame does not matter)
        Comparator<HandBox> bySide = Comparator.comparing(HandBox::getSide);
        assertEquals(List.of(box(HandSide.LEFT, 300, 310, 400, 420), box(HandSide.RIGHT, 10, 20, 110, 220)),
                sent.get(0).getHands().stream().sorted(bySide).toList());
        assertEquals(List.of(box(HandSide.RIGHT, 288.72, 325.86, 449.42, 473.67)), sent.get(1).getHands());
        assertEquals(List.of(box(HandSide.LEFT, 1, 2, 30, 40)), sent.get(2).getHands());

        // undistorted frames: the benchmark's pinhole camera, sensor orientation, size from the JPEG
        for (Frame f : sent) {
            assertEquals(new Pinhole(150.0, 150.0, 255.5, 255.5), f.getCamera());
            assertEquals(Orientation.SENSOR, f.getOrientation());
            long captureMs = f.getCaptureTimeNs() / 1_000_000L;
            assertTrue(captureMs >= before && captureMs <= after, "capture time is the wall clock at sending");
        }
        assertEquals(List.of(64, 80, 32), sent.stream().map(Frame::getWidth).toList());
        assertEquals(List.of(48, 60, 16), sent.stream().map(Frame::getHeight).toList());

        // inline JPEG bytes, exactly the file's
        InlineImage first = assertInstanceOf(InlineImage.class, sent.get(0).getImage());
        assertEquals(ImageEncoding.JPEG, first.getEncoding());
        assertArrayEquals(Files.readAllBytes(frames.get(0).image()), bytes(first.getBytes()));
    }

    @Test
    void distortedFramesCarryTheTakesFisheyeCalibration() throws Exception {
        Path calib = Files.createDirectories(root.resolve("calib"));
        // [f, cu, cv, k0..k5, p0, p1, s0..s3] for 1408x1408 (principal point near 703.5)
        double[] params = {610.5, 705.25, 701.75, 0.39, -0.21, -0.11, 1.02, -1.39, 0.53, 0.00013, -0.00021, -0.00042, 0.00011, 0.0003, -0.00005};
        StringBuilder list = new StringBuilder();
        for (double p : params) {
            list.append(list.length() == 0 ? "" : ", ").append(p);
        }
        Files.writeString(calib.resolve("upenn_0710_Guitar_1_6.json"),
                "{\"Label\": \"camera-rgb\", \"Projection\": {\"Name\": \"FisheyeRadTanThinPrism\", \"Params\": [" + list + "]}}");
        // take_b has no calibration file: counted and reported, not fatal
        TakeSet set = TakeSet.open(anno, images, null, calib);
        assertTrue(set.distorted());
        MockProducer<String, Frame> producer = producer(true);

        ReplayReport report = new Replayer(producer, FRAMES, 0, false).replay(set, set.frames(Set.of(), 0), n -> { });

        assertEquals(2, report.published());
        assertEquals(1, report.missingImages());
        assertTrue(report.problems().get(0).contains("take " + TAKE_B + " frame 2"), report.problems().get(0));
        assertTrue(report.problems().get(0).contains("take_b.json"), report.problems().get(0));
        List<Double> expected = java.util.Arrays.stream(params).boxed().toList();
        for (Frame f : values(producer)) {
            Fisheye624 camera = assertInstanceOf(Fisheye624.class, f.getCamera());
            assertEquals(expected, camera.getParams());
            assertEquals(1408, camera.getCalibWidth());
            assertEquals(1408, camera.getCalibHeight());
        }
    }

    @Test
    void pngImagesAreMarkedPng() throws Exception {
        Path png = images.resolve("test/take_b/000002.jpg"); // the layout's name; the content decides
        Mat image = new Mat(10, 14, CvType.CV_8UC3, new Scalar(1, 2, 3));
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".png", image, out);
        Files.write(png, out.toArray());
        image.release();
        out.release();
        TakeSet set = TakeSet.open(anno, images, null, null);
        MockProducer<String, Frame> producer = producer(true);
        new Replayer(producer, FRAMES, 0, false).replay(set, set.frames(Set.of(TAKE_B), 0), n -> { });
        Frame f = values(producer).get(0);
        assertEquals(ImageEncoding.PNG, assertInstanceOf(InlineImage.class, f.getImage()).getEncoding());
        assertEquals(14, f.getWidth());
        assertEquals(10, f.getHeight());
    }

    @Test
    void missingAndCorruptImagesAreCountedAndReportedNotFatal() throws Exception {
        Files.delete(images.resolve("test/upenn_0710_Guitar_1_6/000012.jpg"));
        Files.writeString(images.resolve("test/upenn_0710_Guitar_1_6/000398.jpg"), "not a jpeg");
        TakeSet set = TakeSet.open(anno, images, null, null);
        MockProducer<String, Frame> producer = producer(true);
        List<Integer> progress = new ArrayList<>();

        ReplayReport report = new Replayer(producer, FRAMES, 0, false).replay(set, set.frames(Set.of(), 0), progress::add);

        assertEquals(1, report.published());
        assertEquals(2, report.missingImages());
        assertEquals(0, report.failedSends());
        assertEquals(List.of(1, 2, 3), progress, "progress covers skipped frames too");
        assertEquals(List.of(2L), values(producer).stream().map(Frame::getFrameNumber).toList());
        assertEquals(2, report.problems().size());
        assertTrue(report.problems().get(0).contains("take " + TAKE_A + " frame 12"), report.problems().get(0));
        assertTrue(report.problems().get(0).contains("000012.jpg"), report.problems().get(0));
        assertTrue(report.problems().get(1).contains("take " + TAKE_A + " frame 398"), report.problems().get(1));
        assertTrue(report.problems().get(1).contains("000398.jpg"), report.problems().get(1));
    }

    @Test
    void aBrokerRefusalIsCountedAsFailedSend() throws Exception {
        TakeSet set = TakeSet.open(anno, images, null, null);
        MockProducer<String, Frame> producer = producer(false);
        // fail the first send once it is in flight; flush completes the others normally
        Replayer replayer = new Replayer(producer, FRAMES, 0, false);

        ReplayReport report = replayer.replay(set, set.frames(Set.of(), 0), n -> {
            if (n == 1) {
                assertTrue(producer.errorNext(new RecordTooLargeException("the message is 2000000 bytes")));
            }
        });

        assertEquals(2, report.published());
        assertEquals(1, report.failedSends());
        assertEquals(0, report.missingImages());
        assertEquals(1, report.problems().size());
        String problem = report.problems().get(0);
        assertTrue(problem.contains("take " + TAKE_A + " frame 12") && problem.contains("2000000 bytes"), problem);
        assertTrue(producer.flushed());
    }

    @Test
    void imagesByUriWhenAsked() throws Exception {
        TakeSet set = TakeSet.open(anno, images, null, null);
        List<ReplayFrame> frames = set.frames(Set.of(), 0);
        MockProducer<String, Frame> producer = producer(true);

        ReplayReport report = new Replayer(producer, FRAMES, 0, true).replay(set, frames, n -> { });

        assertEquals(3, report.published());
        List<Frame> sent = values(producer);
        for (int i = 0; i < sent.size(); i++) {
            ImageUri uri = assertInstanceOf(ImageUri.class, sent.get(i).getImage());
            URI parsed = URI.create(uri.getUri().toString());
            assertEquals("file", parsed.getScheme());
            assertEquals(frames.get(i).image().toAbsolutePath(), Path.of(parsed));
        }
        assertEquals(64, sent.get(0).getWidth(), "size still read from the file");
    }

    @Test
    void imagesOverTheInlineLimitGoByUri() throws Exception {
        // a structurally whole JPEG (SOF0, 20 x 10, a one-byte scan, EOI) padded past the inline limit after its end
        byte[] big = new byte[Replayer.INLINE_LIMIT + 1];
        byte[] header = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x0A, 0x00, 0x14, 0x01, 0x01, 0x11, 0x00,
            (byte) 0xFF, (byte) 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, (byte) 0xFF, (byte) 0xD9};
        System.arraycopy(header, 0, big, 0, header.length);
        Files.write(images.resolve("test/take_b/000002.jpg"), big);
        TakeSet set = TakeSet.open(anno, images, null, null);
        MockProducer<String, Frame> producer = producer(true);

        new Replayer(producer, FRAMES, 0, false).replay(set, set.frames(Set.of(), 0), n -> { });

        List<Frame> sent = values(producer);
        assertInstanceOf(InlineImage.class, sent.get(0).getImage());
        assertInstanceOf(ImageUri.class, sent.get(2).getImage());
        assertEquals(20, sent.get(2).getWidth());
        assertEquals(10, sent.get(2).getHeight());
    }

    @Test
    void pacingSpacesFramesAtTheRequestedRate() throws Exception {
        TakeSet set = TakeSet.open(anno, images, null, null);
        MockProducer<String, Frame> producer = producer(true);
        long start = System.nanoTime();
        // 3 frames at 20 fps: the third is due 100 ms after the first
        new Replayer(producer, FRAMES, 20, false).replay(set, set.frames(Set.of(), 0), n -> { });
        double ms = (System.nanoTime() - start) / 1e6;
        assertTrue(ms >= 95, "took " + ms + " ms");
        assertEquals(3, producer.history().size());
    }

    @Test
    void negativeFpsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Replayer(producer(true), FRAMES, -1, false));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
