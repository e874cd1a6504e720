package dev.egopose.detect;

import java.util.List;

/**
 * What the tracker did on one frame.
 *
 * @param hands      the hands found, at most one per side
 * @param nextTracks the tracks for the next frame: the hands found, and lost hands still remembered
 * @param detected   whether the palm detector ran (fewer hands were tracked than wanted)
 * @param detectMs   palm detection time, 0 when it did not run
 * @param landmarkMs time of all landmark passes
 */
public record TrackStep(List<DetectedHand> hands, List<HandTrack> nextTracks, boolean detected, double detectMs, double landmarkMs) {
    public TrackStep {
        hands = List.copyOf(hands);
        nextTracks = List.copyOf(nextTracks);
    }
}
