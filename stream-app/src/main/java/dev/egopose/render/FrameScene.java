package dev.egopose.render;

import dev.egopose.domain.HandSide;
import java.util.Objects;

/** One frame to draw: which take and frame it is, and both hands. */
public record FrameScene(String takeUid, String takeName, int frameNumber, HandScene left, HandScene right) {
    public FrameScene {
        Objects.requireNonNull(takeUid, "takeUid");
        Objects.requireNonNull(takeName, "takeName");
        if (left.side() != HandSide.LEFT || right.side() != HandSide.RIGHT) {
            throw new IllegalArgumentException("left and right hand scenes are swapped");
        }
    }

    public HandScene hand(HandSide side) {
        return side == HandSide.LEFT ? left : right;
    }
}
