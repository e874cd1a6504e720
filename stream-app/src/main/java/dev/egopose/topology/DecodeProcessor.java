package dev.egopose.topology;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.ImageHeader;
import dev.egopose.model.Batcher;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandSide;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes the Avro frame, checks it and fetches its image bytes. Refuses (to the dead-letter topic)
 * what later stages could not handle: undecodable bytes, a missing or mismatched key, bad sizes,
 * boxes or camera parameters, an image that is too large, truncated, not a JPEG or PNG, not of the
 * frame's declared size, or behind a URI the {@link ClaimCheck} does not allow. The image header is
 * read before anything is decoded, so a frame's memory stays bounded by the limits.
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, Object> {
    static final String NAME = "decode";

    private final Deserializer<Frame> deserializer;
    private final String topic;
    private final StageLimits limits;
    /** Marks this thread busy with a frame, so model batches wait for it ({@link Batcher#startWork}). */
    private final Supplier<Batcher.Work> work;
    private final ClaimCheck claimCheck;
    private final int maxAttempts;
    private ProcessorContext<String, Object> context;
    private StageGuard guard;
    private Sensor latency;

    DecodeProcessor(Deserializer<Frame> deserializer, String topic, StageLimits limits, Supplier<Batcher.Work> work) {
        this.deserializer = deserializer;
        this.work = work;
        this.topic = topic;
        this.limits = limits;
        this.claimCheck = new ClaimCheck(limits.imageUriRoots(), limits.imageMaxBytes());
        this.maxAttempts = limits.recordMaxAttempts();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.guard = new StageGuard(context, NAME, maxAttempts);
        this.latency = context.metrics().addLatencyRateTotalSensor("egopose", NAME, "decode", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long start = System.nanoTime();
        long receivedAtMs = System.currentTimeMillis();
        // forward() runs the later stages before it returns: the whole frame is this thread's work
        try (Batcher.Work frameWork = work.get()) {
            guard.run(record.key(), record.value(), record.timestamp(), () -> "record with key " + printableKey(record.key()), () -> {
                FrameJob job = decode(record, receivedAtMs, start);
                latency.record(System.nanoTime() - start);
                context.forward(record.withKey(job.takeUid()).withValue((Object) job), BoxesProcessor.NAME);
            });
        }
    }

    private static String printableKey(byte[] key) {
        return key == null ? "(none)" : "'" + new String(key, StandardCharsets.UTF_8) + "'";
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
        } catch (OutOfMemoryError e) {
            throw new RejectedRecord("undecodable frame for take " + key + ": its " + record.value().length
                    + " bytes need more memory than is free to decode", e);
        }
        String where = "take " + frame.getTakeUid() + " frame " + frame.getFrameNumber();
        if (!key.equals(frame.getTakeUid())) {
            throw new RejectedRecord(where + ": field key: record key '" + key + "' is not the frame's take uid");
        }
        if (frame.getWidth() <= 0 || frame.getHeight() <= 0) {
            throw new RejectedRecord(where + ": field width/height: image size " + frame.getWidth() + "x" + frame.getHeight() + " is not positive");
        }
        checkHands(frame, where);
        if (frame.getCamera() instanceof Fisheye624 fisheye) {
            checkFisheye(fisheye, where);
        }
        byte[] image = imageBytes(frame, where);
        checkHeader(frame, image, where);
        float decodeMs = (System.nanoTime() - start) / 1e6f;
        return new FrameJob(key, frame, image, record.key(), record.value(), receivedAtMs, decodeMs);
    }
    private static void checkHands(Frame frame, String where) {
        Set<HandSide> seen = EnumSet.noneOf(HandSide.class);
        for (dev.egopose.schema.HandBox box : frame.getHands()) {
            if (!seen.add(box.getSide())) {
                throw new RejectedRecord(where + ": field hands: two boxes for the " + box.getSide().name().toLowerCase() + " hand");
            }
            try {
                new HandBox(box.getX1(), box.getY1(), box.getX2(), box.getY2());
            } catch (IllegalArgumentException e) {
                throw new RejectedRecord(where + ": field hands: " + box.getSide().name().toLowerCase() + " " + e.getMessage());
            }
        }
    }

    private static void checkFisheye(Fisheye624 fisheye, String where) {
        if (fisheye.getParams().size() != 15) {
            throw new RejectedRecord(where + ": field camera.params: Fisheye624 camera has " + fisheye.getParams().size() + " parameters, expected 15");
        }
        for (int i = 0; i < 15; i++) {
            if (!Double.isFinite(fisheye.getParams().get(i))) {
                throw new RejectedRecord(where + ": field camera.params: Fisheye624 parameter " + i + " is " + fisheye.getParams().get(i));
            }
        }
        if (fisheye.getCalibWidth() <= 0 || fisheye.getCalibHeight() <= 0) {
            throw new RejectedRecord(where + ": field camera.calibWidth/calibHeight: calibration size " + fisheye.getCalibWidth() + "x" + fisheye.getCalibHeight() + " is not positive");
        }
    }

    private byte[] imageBytes(Frame frame, String where) {
        if (frame.getImage() instanceof InlineImage inline) {
            ByteBuffer buffer = inline.getBytes().duplicate();
            if (buffer.remaining() == 0) {
                throw new RejectedRecord(where + ": field image.bytes: inline image is empty");
            }
            if (buffer.remaining() > limits.imageMaxBytes()) {
                throw new RejectedRecord(where + ": field image.bytes: inline image of " + buffer.remaining()
                        + " bytes is larger than image.max.bytes = " + limits.imageMaxBytes());
            }
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return claimCheck.read(((ImageUri) frame.getImage()).getUri(), where);
    }

    /** The stored image must be a whole JPEG or PNG of the declared size, within the pixel limit. */
    private void checkHeader(Frame frame, byte[] image, String where) {
        ImageHeader header;
        try {
            header = ImageHeader.read(image);
        } catch (ImageHeader.InvalidImageException e) {
            throw new RejectedRecord(where + ": field image: " + e.getMessage(), e);
        }
        if (header.pixels() > limits.imageMaxPixels()) {
            throw new RejectedRecord(where + ": field image: " + header.format() + " header gives " + header.width() + "x" + header.height()
                    + " = " + header.pixels() + " pixels, more than image.max.pixels = " + limits.imageMaxPixels());
        }
        if (header.width() != frame.getWidth() || header.height() != frame.getHeight()) {
            throw new RejectedRecord(where + ": field width/height: the frame declares " + frame.getWidth() + "x" + frame.getHeight()
                    + " but its " + header.format() + " header gives " + header.width() + "x" + header.height());
        }
        if (frame.getImage() instanceof InlineImage inline && !inline.getEncoding().name().equals(header.format().name())) {
            throw new RejectedRecord(where + ": field image.encoding: says " + inline.getEncoding() + " but the bytes are a " + header.format());
        }
    }
}
