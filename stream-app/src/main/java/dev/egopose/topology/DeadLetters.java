package dev.egopose.topology;

import dev.egopose.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the original bytes of a record the topology could not handle to the dead-letter sink, with
 * the reason, the stage, where it came from and who refused it, and counts it.
 */
final class DeadLetters {
    static final String SINK = "dlq-sink";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final ProcessorContext<String, Object> context;
    private final String stage;
    private final Sensor rejected;

    DeadLetters(ProcessorContext<String, Object> context, String stage) {
        this.context = context;
        this.stage = stage;
        this.rejected = context.metrics().addRateTotalSensor("egopose", stage, "rejected", Sensor.RecordingLevel.INFO);
    }

    /**
     * Forwards a dead letter for the record whose original key and value are given.
     *
     * @param cause    the exception behind the reason, or null
     * @param attempts how often the record was tried
     */
    void reject(byte[] key, byte[] value, long timestamp, String reason, Throwable cause, int attempts) {
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
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setAttempts(attempts)
                .setApplicationId(context.applicationId())
                .setTaskId(context.taskId().toString())
                .build();
        String dlqKey = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        context.forward(new Record<String, Object>(dlqKey, letter, timestamp), SINK);
        rejected.record();
        LOG.warn("dead letter ({} stage, {}@{}): {}", stage, letter.getSourceTopic() + "-" + letter.getSourcePartition(),
                letter.getSourceOffset(), reason);
    }
}
