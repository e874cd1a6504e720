package dev.egopose.topology;

import dev.egopose.avro.Topics;
import dev.egopose.crop.HandCropper;
import dev.egopose.detect.DetectorBoxes;
import dev.egopose.domain.CropMode;
import dev.egopose.model.Batcher;
import dev.egopose.schema.DeadLetter;
import dev.egopose.schema.HandPoses;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

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
        return build(topics, cropper, mode, batcher, limits, Optional.empty());
    }

    /**
     * The topology with hand boxes from the image for frames that carry neither boxes nor hand
     * tracking; the boxes stage then keeps each take's tracked hands in a changelogged store.
     */
    public static Topology build(Topics topics, HandCropper cropper, CropMode mode, Batcher batcher, StageLimits limits,
                                 Optional<DetectorBoxes> detector) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.frames().name());
        topology.addProcessor(DecodeProcessor.NAME,
                () -> new DecodeProcessor(topics.frames().valueSerde().deserializer(), topics.frames().name(), limits, batcher::startWork), SOURCE);
        topology.addProcessor(BoxesProcessor.NAME, () -> new BoxesProcessor(limits, detector), DecodeProcessor.NAME);
        if (detector.isPresent()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BoxesProcessor.TRACKS_STORE),
                    Serdes.String(), Serdes.ByteArray()), BoxesProcessor.NAME);
        }
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
