package dev.egopose.cli;

import dev.egopose.model.ModelUnavailableException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the processor does when a stream thread dies. A model that cannot run stops the whole
 * client (and {@code run} exits 1): dead-lettering or skipping would drop good frames. Anything
 * else that escapes the topology's stage guards (which settle every failure a record can cause)
 * is Kafka's own trouble: the thread is replaced and goes on from the last commit.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    @Override
    public StreamThreadExceptionResponse handle(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ModelUnavailableException) {
                fatal.compareAndSet(null, c);
                LOG.error("the model is unavailable; stopping the processor (nothing is committed past the last posed frame)", c);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
        LOG.error("stream thread failed; replacing it (it goes on from the last committed offset)", e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The failure that made the processor stop, if one did. */
    Optional<Throwable> fatal() {
        return Optional.ofNullable(fatal.get());
    }
}
