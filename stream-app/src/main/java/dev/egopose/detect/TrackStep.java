package dev.egopose.detect;

import java.util.List;

/**
 * What the tracker did on one frame.
 *
 * @param hands      the hands found, at most one per side
 * @param detected   whether the palm detector ran (fewer hands were tracked than wanted)
 * @param detectMs   palm detection time, 0 when it did not run
 * @param landmarkMs time of all landmark passes
 */
public record TrackStep(List<DetectedHand> hands, boolean detected, double detectMs, double landmarkMs) {
    public TrackStep {
        hands = List.copyOf(hands);
    }

    /** The rects to look in on the next frame. */
    public List<HandRect> nextRects() {
        return hands.stream().map(h -> h.landmarks().nextRect()).toList();
    }
}
