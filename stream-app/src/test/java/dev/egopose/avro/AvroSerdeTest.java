package dev.egopose.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.avro.AvroDecodeException.Problem;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private final Topics topics = Topics.defaults();

    static Frame fisheyeFrame() {
        byte[] jpeg = new byte[5000];
        new Random(7).nextBytes(jpeg);
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        double[] params = {610.0, 715.5, 716.2, 0.39, -0.36, -0.19, 1.6, -2.0, 0.7, 0.0003, -0.0002, 0.0005, -0.0001, 0.0002, 0.0001};
        List<Double> p = new ArrayList<>();
        for (double v : params) {
            p.add(v);
        }
        return Frame.newBuilder()
                .setTakeUid("2e2f0f6c-9fd0-4a37-8bb8-000000000001")
                .setTakeName("upenn_0710_Guitar_1_6")
                .setFrameNumber(1234)
                .setCaptureTimeNs(1_700_000_000_123_456_789L)
                .setImage(InlineImage.newBuilder().setEncoding(ImageEncoding.JPEG).setBytes(ByteBuffer.wrap(jpeg)).build())
                .setWidth(1408)
                .setHeight(1408)
                .setOrientation(Orientation.ROTATED_90_CW)
                .setCamera(Fisheye624.newBuilder().setParams(p).setCalibWidth(1408).setCalibHeight(1408).build())
                .setHands(List.of(
                        AvroMapping.toAvro(HandSide.LEFT, new HandBox(10.5, 20, 110, 140.25)),
                        AvroMapping.toAvro(HandSide.RIGHT, new HandBox(300, 310, 420, 470))))
                .build();
    }

    static Frame pinholeUriFrame() {
        return Frame.newBuilder()
                .setTakeUid("take-2")
                .setFrameNumber(0)
                .setCaptureTimeNs(0)
                .setImage(ImageUri.newBuilder().setUri("file:///data/takes/take-2/000000.jpg").build())
                .setWidth(512)
                .setHeight(512)
                .setCamera(Pinhole.newBuilder().setFx(150).setFy(150).setCx(255.5).setCy(255.5).build())
                .setHands(List.of())
                .build();
    }

    static HandPoses poses() {
        double[] xyz = new double[63];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (i - 31) * 0.001;
        }
        Joints3d joints = new Joints3d(xyz);
        return HandPoses.newBuilder()
                .setTakeUid("take-1")
                .setTakeName("upenn_0710_Guitar_1_6")
                .setFrameNumber(1234)
                .setCaptureTimeNs(99)
                .setHands(List.of(
                        AvroMapping.toAvro(HandSide.LEFT, joints, new HandBox(1, 2, 3, 4)),
                        AvroMapping.toAvro(HandSide.RIGHT, joints, new HandBox(5, 6, 7, 8))))
                .setModelId("potter-s sha256:abc")
                .setReceivedAtMs(1000)
                .setEmittedAtMs(1042)
                .setDecodeMs(12.5f)
                .setCropMs(1.25f)
                .setModelMs(28f)
                .build();
    }

    @Test
    void avroTrustsTheGeneratedPackageInThisJvm() {
        // Surefire passes it; the CLI sets it in JvmDefaults. Without it Avro refuses to build Frame objects.
        String trusted = System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES");
        assertNotNull(trusted, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES is not set for the test JVM");
        assertTrue(Arrays.asList(trusted.split(",")).contains("dev.egopose.schema"), trusted);
        Frame back = topics.frames().deserializeValue(topics.frames().serializeValue(pinholeUriFrame()));
        assertInstanceOf(Frame.class, back);
        assertInstanceOf(Pinhole.class, back.getCamera());
    }

    @Test
    void aClassFromAnUntrustedPackageIsRefusedUpFrontWithTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AvroSerde.of(Untrusted.class));
        assertTrue(e.getMessage().contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.egopose.avro"), e.getMessage());
    }

    @Test
    void frameWithInlineJpegAndFisheyeCameraRoundTrips() {
        Frame frame = fisheyeFrame();
        byte[] bytes = topics.frames().valueSerde().serializer().serialize("egopose.frames", frame);
        Frame back = topics.frames().valueSerde().deserializer().deserialize("egopose.frames", bytes);
        assertEquals(frame, back);
        InlineImage image = (InlineImage) back.getImage();
        assertEquals(ImageEncoding.JPEG, image.getEncoding());
        assertEquals(5000, image.getBytes().remaining());
        assertEquals(Orientation.ROTATED_90_CW, back.getOrientation());
        assertEquals(15, ((Fisheye624) back.getCamera()).getParams().size());
        assertEquals(new HandBox(10.5, 20, 110, 140.25), AvroMapping.toDomain(back.getHands().get(0)));
        assertEquals(HandSide.RIGHT, AvroMapping.sideOf(back.getHands().get(1)));
    }

    @Test
    void frameWithUriAndPinholeCameraRoundTripsWithDefaults() {
        Frame frame = pinholeUriFrame();
        Frame back = topics.frames().deserializeValue(topics.frames().serializeValue(frame));
        assertEquals(frame, back);
        assertEquals("file:///data/takes/take-2/000000.jpg", ((ImageUri) back.getImage()).getUri());
        assertEquals("", back.getTakeName(), "default takeName");
        assertEquals(Orientation.SENSOR, back.getOrientation(), "default orientation");
        assertEquals(255.5, ((Pinhole) back.getCamera()).getCx());
    }

    @Test
    void valuesCarryTheSingleObjectHeaderWithTheSchemaFingerprint() {
        byte[] bytes = topics.poses().serializeValue(poses());
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaNormalization.parsingFingerprint64(HandPoses.getClassSchema()), fingerprint);
        assertEquals(((AvroSerde<HandPoses>) topics.poses().valueSerde()).fingerprint(), fingerprint);
    }

    @Test
    void handPosesRoundTrip() {
        HandPoses poses = poses();
        HandPoses back = topics.poses().deserializeValue(topics.poses().serializeValue(poses));
        assertEquals(poses, back);
        assertEquals(poses().getHands().get(0).getJoints(), back.getHands().get(0).getJoints());
        Joints3d joints = AvroMapping.toJoints(back.getHands().get(1).getJoints());
        assertEquals(0.031, joints.get(20, 2), 1e-12);
        assertEquals(28f, back.getModelMs());
    }

    @Test
    void deadLetterRoundTripsWithAndWithoutOriginals() {
        DeadLetter full = DeadLetter.newBuilder()
                .setReason("frame 12 of take t: image bytes are not a JPEG")
                .setStage("decode")
                .setSourceTopic("egopose.frames")
                .setSourcePartition(2)
                .setSourceOffset(4711)
                .setOriginalKey(ByteBuffer.wrap("t".getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xC3}))
                .setFailedAtMs(1_700_000_000_000L)
                .build();
        DeadLetter bare = DeadLetter.newBuilder(full).setOriginalKey(null).setOriginalValue(null).build();
        for (DeadLetter letter : List.of(full, bare)) {
            assertEquals(letter, topics.dlq().deserializeValue(topics.dlq().serializeValue(letter)));
        }
        DeadLetter back = topics.dlq().deserializeValue(topics.dlq().serializeValue(full));
        byte[] original = new byte[back.getOriginalValue().remaining()];
        back.getOriginalValue().get(original);
        assertArrayEquals(new byte[] {1, 2, 3, (byte) 0xC3}, original);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(topics.frames().serializeValue(null));
        assertNull(topics.frames().deserializeValue(null));
    }

    @Test
    void emptyBytesAreAClearError() {
        AvroDecodeException e = decodeFails(new byte[0], Problem.EMPTY);
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void garbageBytesAreAClearErrorNamingTopicAndType() {
        byte[] garbage = "hello, this is not avro at all".getBytes(StandardCharsets.US_ASCII);
        AvroDecodeException e = decodeFails(garbage, Problem.NOT_SINGLE_OBJECT);
        assertTrue(e.getMessage().contains("cannot decode a Frame from topic egopose.frames (30 bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("expected the header c3 01"), e.getMessage());
        assertTrue(e.getMessage().contains("68 65 6c 6c 6f"), e.getMessage());
        assertInstanceOf(SerializationException.class, e);
    }

    @Test
    void jsonAndRegistryFramingAreRecognised() {
        assertTrue(decodeFails("{\"takeUid\":\"x\"}".getBytes(StandardCharsets.UTF_8), Problem.NOT_SINGLE_OBJECT)
                .getMessage().contains("looks like JSON"));
        assertTrue(decodeFails(new byte[] {0, 0, 0, 0, 42, 2, 4, 6, 8, 10, 12}, Problem.NOT_SINGLE_OBJECT)
                .getMessage().contains("schema-registry framing"));
    }

    @Test
    void anotherRecordTypeOnTheTopicIsAnUnknownSchema() {
        byte[] posesBytes = topics.poses().serializeValue(poses());
        AvroDecodeException e = decodeFails(posesBytes, Problem.UNKNOWN_SCHEMA);
        assertTrue(e.getMessage().contains("unknown schema"), e.getMessage());
        assertTrue(e.getMessage().contains(java.util.HexFormat.of().formatHex(posesBytes, 2, 10)), e.getMessage());
    }

    @Test
    void truncatedBodyIsCorrupt() {
        byte[] bytes = topics.frames().serializeValue(fisheyeFrame());
        AvroDecodeException e = decodeFails(Arrays.copyOf(bytes, bytes.length - 40), Problem.CORRUPT_BODY);
        assertTrue(e.getMessage().contains("body does not decode"), e.getMessage());
    }

    @Test
    void trailingBytesAreCorrupt() {
        byte[] bytes = topics.frames().serializeValue(pinholeUriFrame());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        AvroDecodeException e = decodeFails(longer, Problem.CORRUPT_BODY);
        assertTrue(e.getMessage().contains("3 unexpected bytes after the end of the Frame"), e.getMessage());
    }

    @Test
    void randomBodiesBehindAValidHeaderNeverEscapeAsAnotherException() {
        byte[] header = Arrays.copyOf(topics.frames().serializeValue(pinholeUriFrame()), 10);
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            byte[] bytes = new byte[10 + body.length];
            System.arraycopy(header, 0, bytes, 0, 10);
            System.arraycopy(body, 0, bytes, 10, body.length);
            try {
                topics.frames().deserializeValue(bytes);
            } catch (AvroDecodeException expected) {
                assertEquals(Problem.CORRUPT_BODY, expected.problem(), expected.getMessage());
            }
        }
    }

    @Test
    void hugeLengthsAndCountsInACorruptBodyAreRefusedWithoutAllocatingThem() {
        byte[] bytes = topics.frames().serializeValue(pinholeUriFrame());
        assertEquals(0, bytes[bytes.length - 1], "the frame ends with its empty hands array");
        byte[] header = Arrays.copyOf(bytes, 10);
        List<byte[]> corrupt = new ArrayList<>();
        for (long n : new long[] {1L << 28, 1L << 30, Integer.MAX_VALUE - 16L}) {
            // the hands array claims n boxes, none follow
            corrupt.add(concat(Arrays.copyOf(bytes, bytes.length - 1), zigZagVarint(n)));
            // takeUid claims an n-byte string, nothing follows
            corrupt.add(concat(header, zigZagVarint(n)));
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (byte[] c : corrupt) {
            long before = threads.getThreadAllocatedBytes(thread);
            AvroDecodeException e = decodeFails(c, Problem.CORRUPT_BODY);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 16L << 20, "refusing " + c.length + " corrupt bytes allocated " + allocated + " bytes");
            assertTrue(e.getMessage().contains("body does not decode"), e.getMessage());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] zigZagVarint(long n) {
        long v = (n << 1) ^ (n >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    @Test
    void dataFromAnOlderWriterSchemaIsReadOnlyWhenThatSchemaIsRegistered() throws Exception {
        // "v0" of HandPoses: the same record without the three timing fields (they have defaults).
        Schema current = HandPoses.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!f.name().endsWith("Ms") || f.name().equals("receivedAtMs") || f.name().equals("emittedAtMs")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema old = Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
        GenericRecord oldRecord = new GenericData.Record(old);
        HandPoses sample = poses();
        for (Schema.Field f : old.getFields()) {
            oldRecord.put(f.name(), GenericData.get().deepCopy(f.schema(), sample.get(f.name())));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(oldRecord, out);
        byte[] oldBytes = out.toByteArray();

        AvroDecodeException e = assertThrows(AvroDecodeException.class,
                () -> AvroSerde.of(HandPoses.class).decode("egopose.poses", oldBytes));
        assertEquals(Problem.UNKNOWN_SCHEMA, e.problem());

        AvroSerde<HandPoses> reader = AvroSerde.of(HandPoses.class, List.of(old));
        HandPoses back = reader.decode("egopose.poses", oldBytes);
        assertEquals(sample.getHands(), back.getHands());
        assertEquals(0f, back.getDecodeMs());
        assertEquals(0f, back.getModelMs());
        assertEquals(1042, back.getEmittedAtMs());
    }

    @Test
    void anOlderSchemaOfAnotherRecordIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvroSerde.of(HandPoses.class, List.of(Frame.getClassSchema())));
        assertTrue(e.getMessage().contains("dev.egopose.schema.Frame"), e.getMessage());
    }

    @Test
    void encodingAnIncompleteRecordNamesTheTopic() {
        Frame broken = new Frame();
        SerializationException e = assertThrows(SerializationException.class,
                () -> topics.frames().serializeValue(broken));
        assertTrue(e.getMessage().contains("cannot encode a Frame for topic egopose.frames"), e.getMessage());
    }

    private AvroDecodeException decodeFails(byte[] bytes, Problem problem) {
        AvroDecodeException e = assertThrows(AvroDecodeException.class, () -> topics.frames().deserializeValue(bytes));
        assertEquals(problem, e.problem(), e.getMessage());
        assertEquals("egopose.frames", e.topic());
        assertEquals("Frame", e.typeName());
        assertTrue(e.getMessage().contains("egopose.frames"), e.getMessage());
        return e;
    }

    /** A record class outside the trusted package, to see the serde refuse it. */
    static final class Untrusted extends SpecificRecordBase {
        @Override
        public Schema getSchema() {
            return Schema.createRecord("Untrusted", null, "dev.egopose.avro", false, List.of());
        }

        @Override
        public Object get(int field) {
            return null;
        }

        @Override
        public void put(int field, Object value) {}
    }
}
