package dev.egopose.detect;

import dev.egopose.domain.HandSide;

/**
 * A hand found in one frame.
 *
 * @param side      left or right: the track's, or for a new hand as {@link HandTracker} decides (two hands never share a side)
 * @param palmScore the palm detector's score when the hand was detected in this frame; NaN when it was tracked
 * @param rect      the rect the landmark model looked in
 * @param landmarks what it found there
 */
public record DetectedHand(HandSide side, double palmScore, HandRect rect, Landmarks landmarks) {
    DetectedHand withSide(HandSide other) {
        return new DetectedHand(other, palmScore, rect, landmarks);
    }
}
