package dev.egopose.eval;

import dev.egopose.domain.HandSide;
import java.util.Objects;

/** An evaluated hand left out in lenient mode because its prediction is missing or unusable, and why. */
public record SkippedHand(String takeUid, int frameNumber, HandSide side, String reason) {
    public SkippedHand {
        Objects.requireNonNull(takeUid, "takeUid");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(reason, "reason");
    }
}
