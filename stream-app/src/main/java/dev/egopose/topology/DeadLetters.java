package dev.egopose.topology;

import dev.egopose.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Sends the original bytes of a record the topology could not handle to the dead-letter sink, with
 * the reason, the stage and where it came from, and counts it.
 */
final class DeadLetters {
    static final String SINK = "dlq-sink";

    private final String stage;
    private final Sensor rejected;

    DeadLetters(ProcessorContext<?, ?> context, String stage) {
        this.stage = stage;
        this.rejected = context.metrics().addRateTotalSensor("egopose", stage, "rejected", Sensor.RecordingLevel.INFO);
    }

    /** Forwards a dead letter for the record whose original key and value are given. */
    void reject(ProcessorContext<String, Object> context, byte[] key, byte[] value, long timestamp, String reason) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        DeadLetter letter = DeadLetter.newBuilder()
                .setReason(reason)
                .setStage(stage)
                .setSourceTopic(source == null ? "" : source.topic())
                .setSourcePartition(source == null ? -1 : source.partition())
                .setSourceOffset(source == null ? -1 : source.offset())
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAtMs(System.currentTimeMillis())
                .build();
        String dlqKey = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        context.forward(new Record<String, Object>(dlqKey, letter, timestamp), SINK);
        rejected.record();
    }
}
