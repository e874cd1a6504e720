package dev.egopose.egoexo;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.Joints3d;
import java.util.Objects;
import java.util.Optional;

/**
 * One hand of one gt_anno record. Every part is absent when the file has {@code []} (or nothing) for it;
 * the test split carries only the box. 3D joints are in metres in the undistorted camera's
 * coordinates, NaN where invalid (the wrist is always kept); they never come without their validity mask.
 */
public record HandAnnotation(
        Optional<Keypoints2d> keypoints2d, Optional<Joints3d> joints3d, Optional<JointMask> valid3d, Optional<HandBox> box) {
    /** A hand with no annotation at all. */
    public static final HandAnnotation NONE =
            new HandAnnotation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public HandAnnotation {
        Objects.requireNonNull(keypoints2d, "keypoints2d");
        Objects.requireNonNull(joints3d, "joints3d");
        Objects.requireNonNull(valid3d, "valid3d");
        Objects.requireNonNull(box, "box");
        if (joints3d.isPresent() && valid3d.isEmpty()) {
            throw new IllegalArgumentException("3D joints need their valid_3d mask");
        }
    }

    /** A test-split hand: a box and nothing else. */
    public static HandAnnotation boxOnly(HandBox box) {
        return new HandAnnotation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(box));
    }

    /** Whether the benchmark evaluates this hand (its 3D ground truth is non-empty). */
    public boolean isEvaluated() {
        return joints3d.isPresent();
    }
}
