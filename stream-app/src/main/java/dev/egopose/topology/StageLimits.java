package dev.egopose.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the topology accepts from a frame, and how hard it tries before giving up on one.
 *
 * @param imageMaxPixels    largest stored image, width x height, decoded at all
 * @param imageMaxBytes     largest encoded image, inline or read through a URI
 * @param imageUriRoots     folders {@code file:} URIs may resolve into (real paths); empty = URIs refused
 * @param modelRetries      retries of a failed model call before the frame is tried alone
 * @param retryBackoff      wait before the first retry, doubled before each next one
 * @param recordMaxAttempts tries of a record failing in an unforeseen way before it is dead-lettered
 * @param trackingMinConfidence hands tracked with less confidence get no box from hand tracking
 */
public record StageLimits(long imageMaxPixels, long imageMaxBytes, List<Path> imageUriRoots,
                          int modelRetries, Duration retryBackoff, int recordMaxAttempts, double trackingMinConfidence) {
    public StageLimits {
        imageUriRoots = List.copyOf(imageUriRoots);
        if (imageMaxPixels < 1 || imageMaxBytes < 1 || modelRetries < 0 || recordMaxAttempts < 1 || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("limits must be positive: " + imageMaxPixels + " px, " + imageMaxBytes + " bytes, "
                    + modelRetries + " retries, " + recordMaxAttempts + " attempts, backoff " + retryBackoff);
        }
    }
}
