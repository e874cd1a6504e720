package dev.egopose.handtrack;

import java.util.List;

/** The hands tracked at one device time (microseconds); absent hands are left out. */
public record TrackingSample(long timeUs, List<TrackedHand> hands) {
    public TrackingSample {
        hands = List.copyOf(hands);
    }
}
