package dev.egopose.topology;

import dev.egopose.avro.Topics;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.CropMode;
import dev.egopose.model.Batcher;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.HandPoses;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds the processor's topology:
 * <pre>
 * frames-source -> decode -> boxes -> crop -> pose -> poses-sink
 *                     \        \        \       \
 *                      +--------+--------+-------+--> dlq-sink
 * </pre>
 * Frames are read as raw bytes so that a record that cannot be decoded still reaches the
 * dead-letter topic whole. Each stage runs its work through a {@link StageGuard}: bad input is
 * dead-lettered, failures of the system are rethrown, and a record failing in an unforeseen way is
 * tried again in place a bounded number of times before it is dead-lettered. One record is handled at a time per partition, so each take's poses
 * leave in frame order.
 */
public final class PoseTopology {
    static final String SOURCE = "frames-source";

    private PoseTopology() {}

    public static Topology build(Topics topics, HandCropper cropper, CropMode mode, Batcher batcher, StageLimits limits) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.frames().name());
        topology.addProcessor(DecodeProcessor.NAME,
                () -> new DecodeProcessor(topics.frames().valueSerde().deserializer(), topics.frames().name(), limits, batcher::startWork), SOURCE);
        topology.addProcessor(BoxesProcessor.NAME, () -> new BoxesProcessor(limits), DecodeProcessor.NAME);
        topology.addProcessor(CropProcessor.NAME, () -> new CropProcessor(cropper, mode, limits.recordMaxAttempts()), BoxesProcessor.NAME);
        topology.addProcessor(PoseProcessor.NAME, () -> new PoseProcessor(batcher, limits), CropProcessor.NAME);
        topology.addSink(PoseProcessor.SINK, topics.poses().name(), topics.poses().keySerde().serializer(),
                cast(topics.poses().valueSerde().serializer(), HandPoses.class), PoseProcessor.NAME);
        topology.addSink(DeadLetters.SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(),
                cast(topics.dlq().valueSerde().serializer(), DeadLetter.class),
                DecodeProcessor.NAME, BoxesProcessor.NAME, CropProcessor.NAME, PoseProcessor.NAME);
        return topology;
    }

    /** The processors forward {@code Object} values; each sink only ever receives its own type. */
    private static <T> Serializer<Object> cast(Serializer<T> serializer, Class<T> type) {
        return (topic, value) -> serializer.serialize(topic, type.cast(value));
    }
}
