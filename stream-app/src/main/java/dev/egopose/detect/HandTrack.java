package dev.egopose.detect;

import dev.egopose.domain.HandSide;

/**
 * A hand the tracker remembers between frames: where to look for it next and which side it is.
 * A track seen in the last frame is looked for again; a lost one is kept a while so that a hand
 * detected again near where it was takes its side, as the landmark model's handedness is unsure.
 *
 * @param missed frames since the hand was last seen: 0 when it was seen in the last frame
 */
public record HandTrack(HandSide side, HandRect rect, int missed) {
    /** Frames a lost hand's side is remembered (1 s at Aria's 30 fps). */
    public static final int MAX_MISSED = 30;

    public HandTrack {
        if (side == null || rect == null || missed < 0 || missed > MAX_MISSED) {
            throw new IllegalArgumentException("a hand track needs a side, a rect and 0.." + MAX_MISSED + " missed frames, got "
                    + side + ", " + rect + ", " + missed);
        }
    }

    boolean seen() {
        return missed == 0;
    }

    /** Whether a hand found at {@code rect} is where this track's hand was: centres within half this rect's side. */
    boolean near(HandRect other) {
        return Math.hypot(other.cx() - rect.cx(), other.cy() - rect.cy()) < rect.width() / 2;
    }
}
