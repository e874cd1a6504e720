package dev.egopose.topology;

import dev.egopose.model.ModelUnavailableException;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage's work on one record and sorts out what went wrong:
 * <ul>
 *   <li>bad input ({@link RejectedRecord}): the record goes to the dead-letter topic at once;</li>
 *   <li>failures of the system (Kafka's own exceptions, a model that cannot run): rethrown, for
 *       Kafka Streams to handle or for the processor to stop loudly;</li>
 *   <li>anything else (a bug, an input nobody foresaw): rethrown, so the stream thread is replaced
 *       and reads the record again, until it has failed {@code record.max.attempts} times; then it
 *       is dead-lettered with its cause, counted ({@code poisoned-total}) and logged. A record can
 *       therefore never hold up its partition for ever.</li>
 * </ul>
 */
final class StageGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StageGuard.class);

    private final ProcessorContext<String, Object> context;
    private final String stage;
    private final DeadLetters deadLetters;
    private final RecordAttempts attempts;
    private final Sensor poisoned;

    StageGuard(ProcessorContext<String, Object> context, String stage, RecordAttempts attempts) {
        this.context = context;
        this.stage = stage;
        this.deadLetters = new DeadLetters(context, stage);
        this.attempts = attempts;
        this.poisoned = context.metrics().addRateTotalSensor("egopose", stage, "poisoned", Sensor.RecordingLevel.INFO);
    }

    /**
     * Runs {@code work} for the record now being processed.
     *
     * @param key       the record's original key bytes (for the dead letter)
     * @param value     the record's original value bytes
     * @param timestamp the record's timestamp
     * @param where     names the record in messages (take, frame)
     */
    void run(byte[] key, byte[] value, long timestamp, Supplier<String> where, Runnable work) {
        String position = position();
        try {
            work.run();
            attempts.succeeded(position);
        } catch (RejectedRecord e) {
            attempts.succeeded(position);
            deadLetters.reject(key, value, timestamp, e.getMessage(), e.getCause(), 1);
        } catch (KafkaException | ModelUnavailableException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError | AssertionError e) {
            int n = attempts.failed(position);
            String what = where.get() + ": stage " + stage + " failed unexpectedly (" + e + ")";
            if (n < attempts.maxAttempts()) {
                LOG.warn("{}, attempt {} of {}: the stream thread will be replaced and read the record again", what, n, attempts.maxAttempts(), e);
                throw e;
            }
            LOG.error("{}; giving up on {} after {} attempts: it goes to the dead-letter topic", what, position, n, e);
            poisoned.record();
            deadLetters.reject(key, value, timestamp, what + "; gave up after " + n + " attempts", e, n);
        }
    }

    private String position() {
        RecordMetadata m = context.recordMetadata().orElse(null);
        return m == null ? "unknown position" : m.topic() + "-" + m.partition() + "@" + m.offset();
    }
}
