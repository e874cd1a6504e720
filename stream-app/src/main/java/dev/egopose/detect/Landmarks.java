package dev.egopose.detect;

import dev.egopose.domain.HandSide;

/**
 * One pass of the landmark model over a hand rect.
 *
 * @param xy        21 landmarks {@code x0, y0, ...} in upright image pixels (MediaPipe's order: 0 wrist, 9 middle-finger base)
 * @param presence  probability that a hand is in the rect; the hand counts from {@link #MIN_PRESENCE}
 * @param rightness probability that it is a right hand (the model's "Left" label: MediaPipe names hands as
 *                  seen in a mirrored selfie image, and an egocentric frame is not mirrored)
 */
public record Landmarks(double[] xy, double presence, double rightness) {
    /**
     * Lower than MediaPipe's default 0.5 (its min tracking confidence): the palm detector finds both of our
     * synthetic hands on the fisheye frames, but the landmark model gives the right one 0.1-0.45; real hands
     * score about 0.87 and background about 0.001 (REFERENCE section 8).
     */
    public static final double MIN_PRESENCE = 0.3;

    /** Handedness from here on is trusted over where the hand is (see {@link HandTracker}). */
    static final double SURE = 0.8;

    public HandSide side() {
        return rightness >= 0.5 ? HandSide.RIGHT : HandSide.LEFT;
    }

    /** Whether the model is sure of the side: rightness at least {@link #SURE}, or at most 1 - SURE. */
    boolean sure() {
        return rightness >= SURE || rightness <= 1 - SURE;
    }

    /** The hand's reach: wrist to middle-finger base, in pixels. */
    double[] reach() {
        return new double[] {xy[18] - xy[0], xy[19] - xy[1]};
    }

    /**
     * How far to the right of the view's centre {@code (cx, cy)} the wrist lies as seen looking along
     * {@code reach} (the cross product of reach and centre -> wrist, pixels squared): positive on the
     * right. Image y points down, so in an upright view with the hand reaching up this is the wrist's x
     * offset times the reach's length, and the same holds in a view turned any way.
     */
    double rightOf(double[] reach, double cx, double cy) {
        return reach[0] * (xy[1] - cy) - reach[1] * (xy[0] - cx);
    }

    /** The rect the next frame's landmark pass looks in. */
    public HandRect nextRect() {
        return HandRect.fromLandmarks(xy);
    }
}
