package dev.egopose.egoexo;

import dev.egopose.domain.HandSide;
import java.util.Objects;

/** A hand of a submission file whose value is not 21x[x,y,z] numbers or {@code []}, and why. */
public record MalformedHand(String takeUid, int frameNumber, HandSide side, String reason) {
    public MalformedHand {
        Objects.requireNonNull(takeUid, "takeUid");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(reason, "reason");
    }
}
