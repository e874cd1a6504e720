package dev.egopose.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egopose.domain.HandSide;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the tracker gives new hands their sides (no models needed): memory of lost hands first, then the other hands, handedness last. */
class DetectSidesTest {
    private static DetectedHand hand(double cx, double rightness) {
        Landmarks landmarks = new Landmarks(new double[42], 0.9, rightness);
        return new DetectedHand(landmarks.side(), 0.8, new HandRect(cx, 100, 80, 80, 0), landmarks);
    }

    private static HandTrack lost(HandSide side, double cx) {
        return new HandTrack(side, new HandRect(cx, 100, 80, 80, 0), 3);
    }

    private static List<HandSide> sides(List<DetectedHand> hands) {
        return hands.stream().map(DetectedHand::side).toList();
    }

    @Test
    void twoNewHandsOfOneSideAreSplitByHandedness() {
        List<DetectedHand> fresh = List.of(hand(100, 0.3), hand(300, 0.1));
        assertEquals(List.of(HandSide.RIGHT, HandSide.LEFT), sides(HandTracker.sided(fresh, List.of(), List.of())));
        assertEquals(List.of(HandSide.LEFT, HandSide.RIGHT), sides(HandTracker.sided(List.of(hand(100, 0.6), hand(300, 0.9)), List.of(), List.of())));
    }

    @Test
    void aNewHandAloneGoesByItsHandedness() {
        assertEquals(List.of(HandSide.LEFT), sides(HandTracker.sided(List.of(hand(100, 0.2)), List.of(), List.of())));
        assertEquals(List.of(HandSide.RIGHT), sides(HandTracker.sided(List.of(hand(100, 0.7)), List.of(), List.of())));
    }

    @Test
    void aNewHandNextToATrackedOneTakesTheOtherSide() {
        DetectedHand tracked = hand(300, 0.1);
        assertEquals(List.of(HandSide.RIGHT), sides(HandTracker.sided(List.of(hand(100, 0.1)), List.of(tracked), List.of())));
    }

    @Test
    void aHandFoundWhereALostHandWasTakesItsSide() {
        // handedness says the one at x=110 is the right hand, memory says it was the left hand
        List<DetectedHand> fresh = List.of(hand(310, 0.1), hand(110, 0.9));
        List<HandTrack> previous = List.of(lost(HandSide.LEFT, 100), lost(HandSide.RIGHT, 300));
        assertEquals(List.of(HandSide.RIGHT, HandSide.LEFT), sides(HandTracker.sided(fresh, List.of(), previous)));
        // one remembered, the other gets the side left over whatever its handedness
        assertEquals(List.of(HandSide.LEFT, HandSide.RIGHT),
                sides(HandTracker.sided(List.of(hand(105, 0.9), hand(600, 0.1)), List.of(), List.of(lost(HandSide.LEFT, 100)))));
        // too far from where it was lost (more than half its rect's side): its handedness decides
        assertEquals(List.of(HandSide.RIGHT), sides(HandTracker.sided(List.of(hand(150, 0.9)), List.of(), List.of(lost(HandSide.LEFT, 100)))));
    }
}
