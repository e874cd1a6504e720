package dev.egopose.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topics;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decode stage alone, with Kafka's MockProcessorContext capturing where each record is forwarded. */
class DecodeProcessorTest {
    private static final Topics TOPICS = Topics.defaults();
    private MockProcessorContext<String, Object> context;
    private DecodeProcessor processor;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        context.setRecordMetadata(TOPICS.frames().name(), 3, 41L);
        processor = new DecodeProcessor(TOPICS.frames().valueSerde().deserializer(), TOPICS.frames().name(),
                new StageLimits(8_500_000, 1 << 20, List.of(), 1, java.time.Duration.ZERO, 3, 0.5), () -> () -> { });
        processor.init(context);
    }

    /** A structurally whole JPEG declaring 1408x1408, one component (the decode stage never decodes pixels). */
    private static final byte[] JPEG_HEADER_1408 = {
        (byte) 0xFF, (byte) 0xD8,
        (byte) 0xFF, (byte) 0xC0, 0x00, 0x0B, 0x08, 0x05, (byte) 0x80, 0x05, (byte) 0x80, 0x01, 0x01, 0x11, 0x00,
        (byte) 0xFF, (byte) 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, (byte) 0xFF, (byte) 0xD9,
    };

    private static Frame frame(List<Double> params) {
        return Frame.newBuilder()
                .setTakeUid("take-1").setTakeName("t").setFrameNumber(12).setCaptureTimeNs(5)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(JPEG_HEADER_1408)))
                .setWidth(1408).setHeight(1408).setOrientation(Orientation.SENSOR)
                .setCamera(new Fisheye624(params, 1408, 1408))
                .setHands(List.of(AvroMapping.toAvro(HandSide.LEFT, new HandBox(1, 2, 30, 40))))
                .build();
    }

    private void process(Frame frame) {
        processor.process(new Record<>("take-1".getBytes(StandardCharsets.UTF_8), TOPICS.frames().serializeValue(frame), 77L));
    }

    @Test
    void forwardsAValidFrameToTheCropStage() {
        process(frame(Collections.nCopies(15, 0.1)));
        List<CapturedForward<? extends String, ?>> forwarded = context.forwarded();
        assertEquals(1, forwarded.size());
        assertEquals(BoxesProcessor.NAME, forwarded.get(0).childName().orElseThrow());
        FrameJob job = (FrameJob) forwarded.get(0).record().value();
        assertEquals("take-1", job.takeUid());
        assertEquals(12, job.frame().getFrameNumber());
        assertArrayEquals(JPEG_HEADER_1408, job.image());
        assertEquals(77L, forwarded.get(0).record().timestamp());
    }

    @Test
    void sendsAFisheyeWithTheWrongParameterCountToTheDeadLetterSink() {
        process(frame(Collections.nCopies(14, 0.1)));
        CapturedForward<? extends String, ?> forward = context.forwarded().get(0);
        assertEquals(DeadLetters.SINK, forward.childName().orElseThrow());
        DeadLetter letter = (DeadLetter) forward.record().value();
        assertEquals("take take-1 frame 12: field camera.params: Fisheye624 camera has 14 parameters, expected 15", letter.getReason());
        assertEquals(1, letter.getAttempts());
        assertEquals(null, letter.getExceptionClass());
        assertEquals(context.taskId().toString(), letter.getTaskId());
        assertEquals(context.applicationId(), letter.getApplicationId());
        assertEquals("decode", letter.getStage());
        assertEquals(3, letter.getSourcePartition());
        assertEquals(41L, letter.getSourceOffset());
        assertEquals("take-1", forward.record().key());
    }

    @Test
    void sendsANonFiniteCalibrationToTheDeadLetterSink() {
        List<Double> params = new java.util.ArrayList<>(Collections.nCopies(15, 0.1));
        params.set(4, Double.NaN);
        process(frame(params));
        DeadLetter letter = (DeadLetter) context.forwarded().get(0).record().value();
        assertTrue(letter.getReason().contains("Fisheye624 parameter 4 is NaN"), letter.getReason());
    }
}
