package dev.egopose.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import java.util.List;
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
}
