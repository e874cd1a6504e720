package dev.egopose.eval;

import dev.egopose.domain.HandSide;
import java.util.Objects;

/** The errors of one evaluated hand instance, in millimetres, over its {@code validJoints} valid joints. */
public record HandError(String takeUid, int frameNumber, HandSide side, int validJoints, double mpjpeMm, double paMpjpeMm) {
    public HandError {
        Objects.requireNonNull(takeUid, "takeUid");
        Objects.requireNonNull(side, "side");
    }
}
