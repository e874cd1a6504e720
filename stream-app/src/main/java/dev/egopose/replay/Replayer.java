package dev.egopose.replay;

import dev.egopose.avro.AvroMapping;
import dev.egopose.avro.Topic;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.RigidTransform;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.ImageHeader;
import dev.egopose.handtrack.TrackedHand;
import dev.egopose.schema.Fisheye624;
import dev.egopose.schema.Frame;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.ImageUri;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a take set's frames as {@link Frame} records keyed by take uid, with the annotation's
 * hand boxes. Paced at {@code fps} frames per second (0 = as fast as possible); each frame's capture
 * time is the wall clock when it is sent, so the processor's capture-to-pose latency is measurable.
 * A missing or unreadable image is counted and reported, never fatal.
 */
public final class Replayer {
    /** Images up to this size travel inline; larger ones by file URI (the broker's default limit is 1 MB). */
    static final int INLINE_LIMIT = 900_000;
    private static final int MAX_PROBLEMS = 20;

    private final Producer<String, Frame> producer;
    private final Topic<String, Frame> topic;
    private final double fps;
    private final boolean imagesByUri;
    private final HandTrackingSource tracking;
    private final boolean annotationBoxes;

    public Replayer(Producer<String, Frame> producer, Topic<String, Frame> topic, double fps, boolean imagesByUri) {
        this(producer, topic, fps, imagesByUri, null, true);
    }

    private Replayer(Producer<String, Frame> producer, Topic<String, Frame> topic, double fps, boolean imagesByUri,
                     HandTrackingSource tracking, boolean annotationBoxes) {
        if (fps < 0) {
            throw new IllegalArgumentException("fps must not be negative, got " + fps);
        }
        this.producer = producer;
        this.topic = topic;
        this.fps = fps;
        this.imagesByUri = imagesByUri;
        this.tracking = tracking;
        this.annotationBoxes = annotationBoxes;
    }

    /**
     * The same replayer, attaching to each frame its nearest hand-tracking sample and the RGB camera's
     * pose, so the processor can box the hands itself.
     *
     * @param annotationBoxes whether the annotation's boxes are sent too (they win over tracking)
     */
    public Replayer withHandTracking(HandTrackingSource source, boolean annotationBoxes) {
        return new Replayer(producer, topic, fps, imagesByUri, source, annotationBoxes);
    }

    /** The same replayer sending frames with neither boxes nor hand tracking (for a processor that detects hands). */
    public Replayer withoutBoxes() {
        return new Replayer(producer, topic, fps, imagesByUri, null, false);
    }


    /** Sends the frames in order and waits until the broker has acknowledged all of them. */
    public ReplayReport replay(TakeSet takes, List<ReplayFrame> frames, IntConsumer progress) throws InterruptedException {
        Pacing pacing = Pacing.startingNow(fps);
        long start = pacing.startNanos();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        int missing = 0;
        for (int i = 0; i < frames.size(); i++) {
            pacing.awaitFrame(i);
            ReplayFrame frame = frames.get(i);
            Frame record;
            try {
                record = toFrame(takes, frame);
            } catch (IOException | IllegalArgumentException e) {
                missing++;
                note(problems, "take " + frame.takeUid() + " frame " + frame.frameNumber() + ": " + e.getMessage());
                progress.accept(i + 1);
                continue;
            }
            producer.send(new ProducerRecord<>(topic.name(), frame.takeUid(), record), (metadata, error) -> {
                if (error == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    note(problems, "take " + frame.takeUid() + " frame " + frame.frameNumber() + ": not published: " + error.getMessage());
                }
            });
            progress.accept(i + 1);
        }
        producer.flush();
        return new ReplayReport(acknowledged.get(), missing, failed.get(), problems, (System.nanoTime() - start) / 1e9);
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    private Frame toFrame(TakeSet takes, ReplayFrame frame) throws IOException {
        if (!Files.isRegularFile(frame.image())) {
            throw new IOException("image " + frame.image() + " is missing");
        }
        byte[] bytes = Files.readAllBytes(frame.image());
        ImageHeader size;
        try {
            size = ImageHeader.read(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException("image " + frame.image() + " is unreadable: " + e.getMessage());
        }
        List<dev.egopose.schema.HandBox> hands = new ArrayList<>();
        if (annotationBoxes) {
            for (Map.Entry<HandSide, HandBox> box : frame.boxes().entrySet()) {
                hands.add(AvroMapping.toAvro(box.getKey(), box.getValue()));
            }
        }
        ImageEncoding encoding = size.format() == ImageHeader.Format.PNG ? ImageEncoding.PNG : ImageEncoding.JPEG;
        Object image = imagesByUri || bytes.length > INLINE_LIMIT
                ? new ImageUri(frame.image().toAbsolutePath().toUri().toString())
                : new InlineImage(encoding, ByteBuffer.wrap(bytes));
        Object camera = takes.calibration(frame.takeName())
                .<Object>map(Replayer::fisheye)
                .orElseGet(() -> new Pinhole(150.0, 150.0, 255.5, 255.5));
        Frame.Builder builder = Frame.newBuilder();
        if (tracking != null) {
            RigidTransform pose = tracking.deviceFromCamera(frame.takeName());
            builder.setDeviceFromCamera(new dev.egopose.schema.RigidTransform(boxed(pose.translation()), boxed(pose.rotation())));
            builder.setHandTracking(tracking.sample(frame.takeName(), frame.frameNumber())
                    .map(sample -> sample.hands().stream().map(Replayer::toAvro).toList())
                    .orElse(List.of()));
        }
        return builder
                .setTakeUid(frame.takeUid())
                .setTakeName(frame.takeName())
                .setFrameNumber(frame.frameNumber())
                .setCaptureTimeNs(System.currentTimeMillis() * 1_000_000L)
                .setImage(image)
                .setWidth(size.width())
                .setHeight(size.height())
                .setOrientation(Orientation.SENSOR)
                .setCamera(camera)
                .setHands(hands)
                .build();
    }

    private static dev.egopose.schema.TrackedHand toAvro(TrackedHand hand) {
        return dev.egopose.schema.TrackedHand.newBuilder()
                .setSide(dev.egopose.schema.HandSide.valueOf(hand.side().name()))
                .setConfidence(hand.confidence())
                .setLandmarks(boxed(hand.landmarks()))
                .setWrist(boxed(hand.wrist()))
                .setPalm(boxed(hand.palm()))
                .build();
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static Fisheye624 fisheye(RgbCalibration calibration) {
        return new Fisheye624(Arrays.stream(calibration.model().params()).boxed().toList(), calibration.width(), calibration.height());
    }
}
