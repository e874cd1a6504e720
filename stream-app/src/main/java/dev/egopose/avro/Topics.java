package dev.egopose.avro;

import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The three egopose topics, each with its serdes. Keys are the take uid as a String (so a take's
 * frames stay in one partition, in order); values are Avro single-object encoded.
 *
 * @param frames camera frames in ({@link Frame})
 * @param poses  hand poses out ({@link HandPoses})
 * @param dlq    frames the processor refused, whole, with the reason ({@link DeadLetter})
 */
public record Topics(Topic<String, Frame> frames, Topic<String, HandPoses> poses, Topic<String, DeadLetter> dlq) {
    public static final String DEFAULT_FRAMES = "egopose.frames";
    public static final String DEFAULT_POSES = "egopose.poses";
    public static final String DEFAULT_DLQ = "egopose.frames.dlq";

    public Topics {
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(poses, "poses");
        Objects.requireNonNull(dlq, "dlq");
        if (Set.of(frames.name(), poses.name(), dlq.name()).size() != 3) {
            throw new IllegalArgumentException("the frames, poses and dlq topics must have different names, got "
                    + frames.name() + ", " + poses.name() + ", " + dlq.name());
        }
    }

    /** {@code egopose.frames}, {@code egopose.poses}, {@code egopose.frames.dlq}. */
    public static Topics defaults() {
        return named(DEFAULT_FRAMES, DEFAULT_POSES, DEFAULT_DLQ);
    }

    /** The three topics under the given names, with the standard serdes (which also read every earlier wire version). */
    public static Topics named(String frames, String poses, String dlq) {
        return new Topics(
                new Topic<>(frames, Serdes.String(), AvroSerde.of(Frame.class, SchemaHistory.older(Frame.getClassSchema()))),
                new Topic<>(poses, Serdes.String(), AvroSerde.of(HandPoses.class, SchemaHistory.older(HandPoses.getClassSchema()))),
                new Topic<>(dlq, Serdes.String(), AvroSerde.of(DeadLetter.class, SchemaHistory.older(DeadLetter.getClassSchema()))));
    }

    /** The names in the order frames, poses, dlq (e.g. to create them). */
    public List<String> names() {
        return List.of(frames.name(), poses.name(), dlq.name());
    }
}
