package dev.egopose.synth;

import dev.egopose.domain.HandSide;

/**
 * One hand at one instant: wrist position (metres, camera frame), rotation (row-major 3x3, applied to
 * the side's hand-local basis, see {@link HandSkeleton#place}) and articulation. Arrays are copied in and out.
 */
public record HandState(HandSide side, double[] wrist, double[] rotation, Articulation articulation) {
    public HandState {
        if (wrist.length != 3 || rotation.length != 9) {
            throw new IllegalArgumentException("wrist needs 3 values and rotation 9");
        }
        wrist = wrist.clone();
        rotation = rotation.clone();
    }

    @Override
    public double[] wrist() {
        return wrist.clone();
    }

    @Override
    public double[] rotation() {
        return rotation.clone();
    }
}
