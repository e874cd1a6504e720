package dev.egopose.egoexo;

import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.util.Objects;
import java.util.Optional;

/** The predicted 3D joints (metres) of both hands of one frame; absent is written {@code []}. */
public record FramePrediction(Optional<Joints3d> left, Optional<Joints3d> right) {
    /** A frame with no prediction for either hand. */
    public static final FramePrediction EMPTY = new FramePrediction(Optional.empty(), Optional.empty());

    public FramePrediction {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
    }

    public Optional<Joints3d> hand(HandSide side) {
        return side == HandSide.LEFT ? left : right;
    }

    /** A copy with one hand replaced. */
    public FramePrediction with(HandSide side, Optional<Joints3d> joints) {
        return side == HandSide.LEFT ? new FramePrediction(joints, right) : new FramePrediction(left, joints);
    }

    public int handCount() {
        return (left.isPresent() ? 1 : 0) + (right.isPresent() ? 1 : 0);
    }
}
