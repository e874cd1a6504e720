package dev.egopose.egoexo;

import dev.egopose.domain.HandSide;
import java.util.Objects;
import java.util.Optional;

/** One frame of a gt_anno file: both hands and the metadata, if the file has it. */
public record FrameAnnotation(int frameNumber, HandAnnotation left, HandAnnotation right, Optional<FrameMetadata> metadata) {
    public FrameAnnotation {
        if (frameNumber < 0) {
            throw new IllegalArgumentException("negative frame number " + frameNumber);
        }
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(metadata, "metadata");
    }

    public HandAnnotation hand(HandSide side) {
        return side == HandSide.LEFT ? left : right;
    }
}
