package dev.egopose.topology;

import dev.egopose.domain.Joints3d;
import dev.egopose.model.Batcher;
import dev.egopose.model.ModelUnavailableException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frame's model call with the policy that keeps good frames out of the dead-letter topic: a
 * failed (or timed-out) batch is retried with doubling backoff; if it keeps failing, the frame runs
 * alone, twice; if it still fails while the model poses a blank crop, the frame is what the model
 * cannot handle and is rejected; if the blank crop fails too, the model is down and
 * {@link ModelUnavailableException} stops the processor, with nothing dropped.
 */
final class ModelCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCalls.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Batcher batcher;
    private final int retries;
    private final Duration backoff;

    ModelCalls(Batcher batcher, int retries, Duration backoff) {
        this.batcher = batcher;
        this.retries = retries;
        this.backoff = backoff;
    }

    /** Poses for the frame's crops. @throws RejectedRecord for a frame the model fails on alone */
    List<Joints3d> predict(List<float[]> crops, String where) {
        RuntimeException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            try {
                return batcher.predict(crops);
            } catch (RuntimeException e) {
                last = e;
                long wait = Math.min(MAX_BACKOFF_MS, backoff.toMillis() << Math.min(attempt, 20));
                LOG.warn("{}: model call failed (attempt {} of {}; retrying in {} ms): {}", where, attempt + 1, retries + 1, wait, e.toString());
                sleep(wait, where);
            }
        }
        for (int alone = 0; alone < 2; alone++) {
            try {
                return batcher.predictAlone(crops);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        if (batcher.probe()) {
            throw new RejectedRecord(where + ": the model fails on this frame's crops, alone, twice (" + last
                    + ") while it poses a blank crop", last);
        }
        throw new ModelUnavailableException(where + ": the model failed " + (retries + 3)
                + " times and fails on a blank crop too: stopping rather than dropping frames (last error: " + last + ")", last);
    }

    private static void sleep(long ms, String where) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException(where + ": interrupted while waiting to retry the model", e);
        }
    }
}
