package dev.egopose.handtrack;

import dev.egopose.domain.HandSide;
import java.util.Arrays;

/**
 * One hand of one Aria hand-tracking sample, in the device frame (metres).
 *
 * @param side       left or right
 * @param confidence tracking confidence 0..1
 * @param landmarks  21 x (x, y, z) in MPS order (0-4 fingertips, 5 wrist, ..., 20 palm centre), or empty
 * @param wrist      x, y, z of the wrist (landmark 5 when landmarks are known)
 * @param palm       x, y, z of the palm centre (landmark 20 when landmarks are known)
 */
public record TrackedHand(HandSide side, double confidence, double[] landmarks, double[] wrist, double[] palm) {
    public static final int LANDMARKS = 21;
    public static final int WRIST = 5;
    public static final int PALM = 20;

    public TrackedHand {
        if (landmarks.length != 0 && landmarks.length != 3 * LANDMARKS) {
            throw new IllegalArgumentException(side.name().toLowerCase() + " hand has " + landmarks.length
                    + " landmark values, expected 0 or " + 3 * LANDMARKS);
        }
        if (wrist.length != 3 || palm.length != 3) {
            throw new IllegalArgumentException(side.name().toLowerCase() + " hand needs a wrist and a palm (x, y, z)");
        }
        if (!Double.isFinite(confidence) || Arrays.stream(landmarks).anyMatch(v -> !Double.isFinite(v))
                || Arrays.stream(wrist).anyMatch(v -> !Double.isFinite(v)) || Arrays.stream(palm).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException(side.name().toLowerCase() + " hand has a non-finite confidence or position");
        }
        landmarks = landmarks.clone();
        wrist = wrist.clone();
        palm = palm.clone();
    }

    /** A hand with all 21 landmarks; wrist and palm are taken from them. */
    public static TrackedHand ofLandmarks(HandSide side, double confidence, double[] landmarks) {
        if (landmarks.length != 3 * LANDMARKS) {
            throw new IllegalArgumentException(side.name().toLowerCase() + " hand has " + landmarks.length
                    + " landmark values, expected " + 3 * LANDMARKS);
        }
        return new TrackedHand(side, confidence, landmarks, Arrays.copyOfRange(landmarks, 3 * WRIST, 3 * WRIST + 3),
                Arrays.copyOfRange(landmarks, 3 * PALM, 3 * PALM + 3));
    }

    public boolean hasLandmarks() {
        return landmarks.length > 0;
    }

    @Override
    public double[] landmarks() {
        return landmarks.clone();
    }

    @Override
    public double[] wrist() {
        return wrist.clone();
    }

    @Override
    public double[] palm() {
        return palm.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackedHand h && side == h.side && Double.compare(confidence, h.confidence) == 0
                && Arrays.equals(landmarks, h.landmarks) && Arrays.equals(wrist, h.wrist) && Arrays.equals(palm, h.palm);
    }

    @Override
    public int hashCode() {
        return side.hashCode() * 31 + Arrays.hashCode(landmarks) + Arrays.hashCode(palm);
    }

    @Override
    public String toString() {
        return "TrackedHand[" + side + ", confidence " + confidence + (hasLandmarks() ? ", 21 landmarks" : ", wrist and palm") + "]";
    }
}
