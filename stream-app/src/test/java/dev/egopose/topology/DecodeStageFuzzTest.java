package dev.egopose.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.egopose.avro.Topics;
import dev.egopose.domain.ImageHeader;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandBox;
import dev.egopose.schema.HandSide;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The decode stage on fuzzed records: sometimes raw bytes, mostly well-formed Avro frames whose
 * fields and image bytes the fuzzer chooses. Whatever comes in, the stage never throws and sends
 * the record exactly once, either on to the crop stage (then with a whole image of the declared
 * size, within the limits) or to the dead-letter topic with its original bytes.
 */
class DecodeStageFuzzTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final StageLimits LIMITS = new StageLimits(8_500_000, 1 << 20, List.of(), 1, Duration.ZERO, 2, 0.5);

    @FuzzTest(maxDuration = "20s")
    void everyRecordIsForwardedOnceAndNothingEscapes(FuzzedDataProvider data) {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setRecordMetadata(TOPICS.frames().name(), 0, 7L);
        DecodeProcessor processor = new DecodeProcessor(TOPICS.frames().valueSerde().deserializer(), TOPICS.frames().name(), LIMITS, () -> () -> { });
        processor.init(context);

        byte[] key = data.consumeBoolean() ? null : data.consumeString(40).getBytes(StandardCharsets.UTF_8);
        byte[] value = data.consumeBoolean() ? data.consumeBytes(2000) : TOPICS.frames().serializeValue(frame(data, key));
        processor.process(new Record<>(key, value, 1L));

        var forwarded = context.forwarded();
        assertEquals(1, forwarded.size(), "each record is forwarded exactly once");
        String child = forwarded.get(0).childName().orElseThrow();
        if (child.equals(BoxesProcessor.NAME)) {
            FrameJob job = (FrameJob) forwarded.get(0).record().value();
            ImageHeader header = ImageHeader.read(job.image());
            assertEquals(job.frame().getWidth(), header.width());
            assertEquals(job.frame().getHeight(), header.height());
            assertTrue(header.pixels() <= LIMITS.imageMaxPixels());
        } else {
            assertEquals(DeadLetters.SINK, child);
            dev.egopose.schema.DeadLetter letter = (dev.egopose.schema.DeadLetter) forwarded.get(0).record().value();
            assertTrue(!letter.getReason().isEmpty());
            assertEquals(value == null ? null : ByteBuffer.wrap(value), letter.getOriginalValue());
        }
    }

    private static Frame frame(FuzzedDataProvider data, byte[] key) {
        String take = key == null ? "take" : new String(key, StandardCharsets.UTF_8);
        List<HandBox> hands = new ArrayList<>();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            hands.add(new HandBox(data.consumeBoolean() ? HandSide.LEFT : HandSide.RIGHT,
                    data.consumeDouble(), data.consumeDouble(), data.consumeDouble(), data.consumeDouble()));
        }
        Object camera;
        if (data.consumeBoolean()) {
            List<Double> params = new ArrayList<>();
            int n = data.consumeInt(13, 16);
            for (int i = 0; i < n; i++) {
                params.add(data.consumeDouble());
            }
            camera = new Fisheye624(params, data.consumeInt(-2, 3000), data.consumeInt(-2, 3000));
        } else {
            camera = new Pinhole(150.0, 150.0, 255.5, 255.5);
        }
        return Frame.newBuilder()
                .setTakeUid(data.consumeBoolean() ? take : "other")
                .setTakeName("fuzz")
                .setFrameNumber(data.consumeLong())
                .setCaptureTimeNs(data.consumeLong())
                .setWidth(data.consumeInt(-2, 70_000))
                .setHeight(data.consumeInt(-2, 70_000))
                .setOrientation(data.consumeBoolean() ? Orientation.SENSOR : Orientation.ROTATED_90_CW)
                .setCamera(camera)
                .setHands(hands)
                .setImage(new InlineImage(data.consumeBoolean() ? ImageEncoding.JPEG : ImageEncoding.PNG,
                        ByteBuffer.wrap(image(data))))
                .build();
    }

    /** Image bytes: mostly starting like a JPEG or PNG, so the fuzzer reaches the header walk's depths. */
    private static byte[] image(FuzzedDataProvider data) {
        int start = data.consumeInt(0, 2);
        byte[] body = data.consumeBytes(3000);
        byte[] prefix = switch (start) {
            case 0 -> new byte[] {(byte) 0xFF, (byte) 0xD8};
            case 1 -> new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
            default -> new byte[0];
        };
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }
}
