package dev.egopose.render;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about one hand of one frame, for drawing.
 *
 * @param side which hand
 * @param box its box in undistorted 512x512 pixels, if any
 * @param truth ground-truth joints in metres in the undistorted camera's frame, NaN where invalid
 * @param prediction predicted joints in metres: wrist-relative (wrist at the origin, as the baseline
 *     writes them) or absolute in the camera frame
 */
public record HandScene(HandSide side, Optional<HandBox> box, Optional<Joints3d> truth, Optional<Joints3d> prediction) {
    public HandScene {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(prediction, "prediction");
    }

    /** A hand with nothing to draw. */
    public static HandScene empty(HandSide side) {
        return new HandScene(side, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
