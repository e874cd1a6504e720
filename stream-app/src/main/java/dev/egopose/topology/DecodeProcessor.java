package dev.egopose.topology;

import dev.egopose.domain.HandBox;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandSide;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes the Avro frame, checks it and fetches its image bytes. Refuses (to the dead-letter topic)
 * what later stages could not handle: undecodable bytes, a missing or mismatched key, bad sizes,
 * boxes or camera parameters, an image that is empty or cannot be read from its URI.
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, Object> {
    static final String NAME = "decode";

    private final Deserializer<Frame> deserializer;
    private final String topic;
    private ProcessorContext<String, Object> context;
    private DeadLetters deadLetters;
    private Sensor latency;

    DecodeProcessor(Deserializer<Frame> deserializer, String topic) {
        this.deserializer = deserializer;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context, NAME);
        this.latency = context.metrics().addLatencyRateTotalSensor("egopose", NAME, "decode", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long start = System.nanoTime();
        long receivedAtMs = System.currentTimeMillis();
        try {
            FrameJob job = decode(record, receivedAtMs, start);
            latency.record(System.nanoTime() - start);
            context.forward(record.withKey(job.takeUid()).withValue((Object) job), CropProcessor.NAME);
        } catch (RejectedRecord e) {
            deadLetters.reject(context, record.key(), record.value(), record.timestamp(), e.getMessage());
        }
    }

    private FrameJob decode(Record<byte[], byte[]> record, long receivedAtMs, long start) {
        if (record.key() == null) {
            throw new RejectedRecord("record has no key (frames must be keyed by take uid to keep each take in order)");
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            throw new RejectedRecord("record for take " + key + " has no value");
        }
        Frame frame;
        try {
            frame = deserializer.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            throw new RejectedRecord("undecodable frame for take " + key + ": " + e.getMessage(), e);
        }
        String where = "take " + frame.getTakeUid() + " frame " + frame.getFrameNumber();
        if (!key.equals(frame.getTakeUid())) {
            throw new RejectedRecord(where + ": record key '" + key + "' is not the frame's take uid");
        }
        if (frame.getWidth() <= 0 || frame.getHeight() <= 0) {
            throw new RejectedRecord(where + ": image size " + frame.getWidth() + "x" + frame.getHeight() + " is not positive");
        }
        checkHands(frame, where);
        if (frame.getCamera() instanceof Fisheye624 fisheye) {
            checkFisheye(fisheye, where);
        }
        byte[] image = imageBytes(frame, where);
        float decodeMs = (System.nanoTime() - start) / 1e6f;
        return new FrameJob(key, frame, image, record.key(), record.value(), receivedAtMs, decodeMs);
    }

    private static void checkHands(Frame frame, String where) {
        Set<HandSide> seen = EnumSet.noneOf(HandSide.class);
        for (dev.egopose.schema.HandBox box : frame.getHands()) {
            if (!seen.add(box.getSide())) {
                throw new RejectedRecord(where + ": two boxes for the " + box.getSide().name().toLowerCase() + " hand");
            }
            try {
                new HandBox(box.getX1(), box.getY1(), box.getX2(), box.getY2());
            } catch (IllegalArgumentException e) {
                throw new RejectedRecord(where + ": " + box.getSide().name().toLowerCase() + " " + e.getMessage());
            }
        }
    }

    private static void checkFisheye(Fisheye624 fisheye, String where) {
        if (fisheye.getParams().size() != 15) {
            throw new RejectedRecord(where + ": Fisheye624 camera has " + fisheye.getParams().size() + " parameters, expected 15");
        }
        for (int i = 0; i < 15; i++) {
            if (!Double.isFinite(fisheye.getParams().get(i))) {
                throw new RejectedRecord(where + ": Fisheye624 parameter " + i + " is " + fisheye.getParams().get(i));
            }
        }
        if (fisheye.getCalibWidth() <= 0 || fisheye.getCalibHeight() <= 0) {
            throw new RejectedRecord(where + ": calibration size " + fisheye.getCalibWidth() + "x" + fisheye.getCalibHeight() + " is not positive");
        }
    }

    private static byte[] imageBytes(Frame frame, String where) {
        if (frame.getImage() instanceof InlineImage inline) {
            ByteBuffer buffer = inline.getBytes().duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            if (bytes.length == 0) {
                throw new RejectedRecord(where + ": inline image is empty");
            }
            return bytes;
        }
        String uri = ((ImageUri) frame.getImage()).getUri();
        Path path;
        try {
            URI parsed = URI.create(uri);
            if (!"file".equals(parsed.getScheme())) {
                throw new RejectedRecord(where + ": image URI " + uri + " has an unsupported scheme (only file: is read)");
            }
            path = Path.of(parsed);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecord(where + ": image URI '" + uri + "' is malformed: " + e.getMessage());
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new RejectedRecord(where + ": cannot read image " + path + ": " + e);
        }
    }
}
