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
 *   <li>anything else (a bug, an input nobody foresaw, a decode running out of memory): the work
 *       is tried again, in place, after a short pause, up to {@code record.max.attempts} times in
 *       all; then the record is dead-lettered with its cause, counted ({@code poisoned-total}) and
 *       logged. A record can therefore never hold up its partition.</li>
 * </ul>
 * The retry stays on the same stream thread on purpose: a replaced thread would only read the
 * record again after the dead one's group membership expired (45 s by default), per attempt.
 * Retrying is safe because a stage forwards its result as its very last step.
 */
final class StageGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StageGuard.class);

    private final ProcessorContext<String, Object> context;
    private final String stage;
    private final DeadLetters deadLetters;
    private final int maxAttempts;
    private final Sensor poisoned;

    StageGuard(ProcessorContext<String, Object> context, String stage, int maxAttempts) {
        this.context = context;
        this.stage = stage;
        this.deadLetters = new DeadLetters(context, stage);
        this.maxAttempts = maxAttempts;
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
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                return;
            } catch (RejectedRecord e) {
                deadLetters.reject(key, value, timestamp, e.getMessage(), e.getCause(), attempt);
                return;
            } catch (KafkaException | ModelUnavailableException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError | AssertionError e) {
                String what = where.get() + ": stage " + stage + " failed unexpectedly (" + e + ")";
                if (attempt < maxAttempts) {
                    LOG.warn("{}, attempt {} of {}; trying it again", what, attempt, maxAttempts, e);
                    pause(attempt);
                    continue;
                }
                LOG.error("{}; giving up on {} after {} attempts: it goes to the dead-letter topic", what, position(), attempt, e);
                poisoned.record();
                deadLetters.reject(key, value, timestamp, what + "; gave up after " + attempt + " attempts", e, attempt);
                return;
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1_000L, 50L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String position() {
        RecordMetadata m = context.recordMetadata().orElse(null);
        return m == null ? "unknown position" : m.topic() + "-" + m.partition() + "@" + m.offset();
    }
}
