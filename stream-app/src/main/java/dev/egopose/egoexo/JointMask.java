package dev.egopose.egoexo;

import dev.egopose.domain.Joints3d;
import java.util.Arrays;

/** Which of the 21 joints carry a valid 3D annotation ({@code <hand>_hand_valid_3d}). Copied in and out. */
public record JointMask(boolean[] valid) {
    public JointMask {
        if (valid == null || valid.length != Joints3d.JOINTS) {
            throw new IllegalArgumentException(
                    "expected " + Joints3d.JOINTS + " joint flags, got " + (valid == null ? "none" : valid.length));
        }
        valid = valid.clone();
    }

    /** A mask with every joint valid. */
    public static JointMask allValid() {
        boolean[] all = new boolean[Joints3d.JOINTS];
        Arrays.fill(all, true);
        return new JointMask(all);
    }

    @Override
    public boolean[] valid() {
        return valid.clone();
    }

    public boolean isValid(int joint) {
        return valid[joint];
    }

    /** How many joints are valid. */
    public int count() {
        int n = 0;
        for (boolean v : valid) {
            if (v) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JointMask that && Arrays.equals(valid, that.valid);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(valid);
    }

    @Override
    public String toString() {
        return "JointMask" + Arrays.toString(valid);
    }
}
