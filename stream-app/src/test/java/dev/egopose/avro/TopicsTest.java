package dev.egopose.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void defaultsHaveTheDocumentedNamesAndSerdes() {
        Topics topics = Topics.defaults();
        assertEquals(List.of("egopose.frames", "egopose.poses", "egopose.frames.dlq"), topics.names());
        assertEquals(Frame.class, ((AvroSerde<?>) topics.frames().valueSerde()).type());
        assertEquals(HandPoses.class, ((AvroSerde<?>) topics.poses().valueSerde()).type());
        assertEquals("take-9", topics.frames().deserializeKey(topics.frames().serializeKey("take-9")));
    }

    @Test
    void namesAreConfigurableAndDecodeErrorsCarryThem() {
        Topics topics = Topics.named("site-a.frames", "site-a.poses", "site-a.dlq");
        assertEquals(List.of("site-a.frames", "site-a.poses", "site-a.dlq"), topics.names());
        AvroDecodeException e = assertThrows(AvroDecodeException.class,
                () -> topics.frames().deserializeValue(new byte[] {1, 2, 3}));
        assertEquals("site-a.frames", e.topic());
        assertTrue(e.getMessage().contains("topic site-a.frames"), e.getMessage());
    }

    @Test
    void illegalOrClashingNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Topics.named("frames", "frames", "dlq"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topics.named("frames in", "poses", "dlq"));
        assertTrue(e.getMessage().contains("'frames in'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Topics.named("..", "poses", "dlq"));
        assertThrows(IllegalArgumentException.class, () -> Topics.named("x".repeat(250), "poses", "dlq"));
    }

    @Test
    void withNameKeepsTheSerdes() {
        Topic<String, Frame> frames = Topics.defaults().frames();
        Topic<String, Frame> renamed = frames.withName("other.frames");
        assertEquals("other.frames", renamed.name());
        assertInstanceOf(AvroSerde.class, renamed.valueSerde());
        assertEquals(frames.valueSerde(), renamed.valueSerde());
    }

    @Test
    void framesAndDeadLettersWrittenWithTheFirstSchemaVersionStillDecode() throws Exception {
        Schema v1;
        try (var in = TopicsTest.class.getResourceAsStream("/dev/egopose/schema/compat/Frame.v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(v1);
        old.put("takeUid", "take-old");
        old.put("takeName", "old");
        old.put("frameNumber", 4L);
        old.put("captureTimeNs", 9L);
        Schema inline = v1.getField("image").schema().getTypes().get(0);
        GenericRecord image = new GenericData.Record(inline);
        image.put("encoding", new GenericData.EnumSymbol(inline.getField("encoding").schema(), "JPEG"));
        image.put("bytes", java.nio.ByteBuffer.wrap(new byte[] {1, 2}));
        old.put("image", image);
        old.put("width", 512);
        old.put("height", 512);
        old.put("orientation", new GenericData.EnumSymbol(v1.getField("orientation").schema(), "SENSOR"));
        Schema pinhole = v1.getField("camera").schema().getTypes().get(1);
        GenericRecord camera = new GenericData.Record(pinhole);
        camera.put("fx", 150.0);
        camera.put("fy", 150.0);
        camera.put("cx", 255.5);
        camera.put("cy", 255.5);
        old.put("camera", camera);
        old.put("hands", List.of());
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

        Frame frame = Topics.defaults().frames().deserializeValue(bytes);
        assertEquals("take-old", frame.getTakeUid());
        assertEquals(4L, frame.getFrameNumber());
        assertTrue(frame.getHandTracking().isEmpty(), "a field added since v1 takes its default");
        assertEquals(null, frame.getDeviceFromCamera());
        assertTrue(Topics.defaults().dlq().valueSerde() instanceof AvroSerde<?> serde && !serde.olderWriterSchemas().isEmpty());
    }
}
