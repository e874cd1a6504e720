package dev.egopose.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egopose.domain.HandSide;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the tracker gives new hands their sides (no models needed): memory of lost hands first, then the other hands, then sure handedness, then where they are. */
class DetectSidesTest {
    /** A view of 640 x 480: centre (320, 240). */
    private static final double CX = 320;
    private static final double CY = 240;

    /** A hand reaching up (wrist at (cx, 300), middle-finger base 100 px above it). */
    private static DetectedHand hand(double cx, double rightness) {
        return hand(cx, 300, 0, -100, rightness);
    }

    /** A hand with its wrist at (x, y) reaching by (dx, dy) to its middle-finger base. */
    private static DetectedHand hand(double x, double y, double dx, double dy, double rightness) {
        double[] xy = new double[42];
        xy[0] = x;
        xy[1] = y;
        xy[18] = x + dx;
        xy[19] = y + dy;
        Landmarks landmarks = new Landmarks(xy, 0.9, rightness);
        return new DetectedHand(landmarks.side(), 0.8, new HandRect(x, y, 80, 80, 0), landmarks);
    }

    private static List<DetectedHand> sided(List<DetectedHand> fresh, List<DetectedHand> tracked, List<HandTrack> previous) {
        return HandTracker.sided(fresh, tracked, previous, CX, CY);
    }

    private static HandTrack lost(HandSide side, double cx) {
        return new HandTrack(side, new HandRect(cx, 300, 80, 80, 0), 3);
    }

    private static List<HandSide> sides(List<DetectedHand> hands) {
        return hands.stream().map(DetectedHand::side).toList();
    }

    @Test
    void twoNewHandsTheModelIsSureOfGoByHandedness() {
        // crossed: the right hand on the left of the view
        assertEquals(List.of(HandSide.RIGHT, HandSide.LEFT), sides(sided(List.of(hand(100, 0.9), hand(500, 0.1)), List.of(), List.of())));
    }

    @Test
    void twoNewHandsItIsUnsureOfGoByWhereTheyAre() {
        assertEquals(List.of(HandSide.LEFT, HandSide.RIGHT), sides(sided(List.of(hand(100, 0.6), hand(500, 0.55)), List.of(), List.of())));
        assertEquals(List.of(HandSide.RIGHT, HandSide.LEFT), sides(sided(List.of(hand(500, 0.3), hand(100, 0.1)), List.of(), List.of())));
        // sure of both but as one side: where they are decides (both left of the centre: the one further right is the right hand)
        assertEquals(List.of(HandSide.RIGHT, HandSide.LEFT), sides(sided(List.of(hand(300, 0.1), hand(100, 0.05)), List.of(), List.of())));
    }

    @Test
    void whereTheyAreIsTakenAlongTheirReachSoATurnedViewGivesTheSameSides() {
        // the view turned a quarter clockwise: hands reach to the right, the wearer's left hand above
        List<DetectedHand> turned = List.of(hand(60, 330, 100, 0, 0.5), hand(60, 150, 100, 0, 0.5));
        assertEquals(List.of(HandSide.RIGHT, HandSide.LEFT), sides(sided(turned, List.of(), List.of())));
        assertEquals(List.of(HandSide.LEFT), sides(sided(List.of(hand(60, 150, 100, 0, 0.6)), List.of(), List.of())));
        // turned the other way: reaching left, the left hand below
        assertEquals(List.of(HandSide.LEFT), sides(sided(List.of(hand(580, 330, -100, 0, 0.4)), List.of(), List.of())));
    }

    @Test
    void aNewHandAloneGoesByItsHandednessWhenSureAndByWhereItIsOtherwise() {
        assertEquals(List.of(HandSide.RIGHT), sides(sided(List.of(hand(100, 0.9)), List.of(), List.of())));
        assertEquals(List.of(HandSide.LEFT), sides(sided(List.of(hand(500, 0.1)), List.of(), List.of())));
        assertEquals(List.of(HandSide.LEFT), sides(sided(List.of(hand(100, 0.7)), List.of(), List.of())));
        assertEquals(List.of(HandSide.RIGHT), sides(sided(List.of(hand(500, 0.3)), List.of(), List.of())));
    }

    @Test
    void aNewHandNextToATrackedOneTakesTheOtherSide() {
        DetectedHand tracked = hand(300, 0.1);
        assertEquals(List.of(HandSide.RIGHT), sides(sided(List.of(hand(100, 0.1)), List.of(tracked), List.of())));
    }

    @Test
    void aHandFoundWhereALostHandWasTakesItsSide() {
        // handedness says the one at x=110 is the right hand, memory says it was the left hand
        List<DetectedHand> fresh = List.of(hand(310, 0.1), hand(110, 0.9));
        List<HandTrack> previous = List.of(lost(HandSide.LEFT, 100), lost(HandSide.RIGHT, 300));
        assertEquals(List.of(HandSide.RIGHT, HandSide.LEFT), sides(sided(fresh, List.of(), previous)));
        // one remembered, the other gets the side left over whatever its handedness
        assertEquals(List.of(HandSide.LEFT, HandSide.RIGHT),
                sides(sided(List.of(hand(105, 0.9), hand(600, 0.1)), List.of(), List.of(lost(HandSide.LEFT, 100)))));
        // too far from where it was lost (more than half its rect's side): its handedness decides
        assertEquals(List.of(HandSide.RIGHT), sides(sided(List.of(hand(150, 0.9)), List.of(), List.of(lost(HandSide.LEFT, 100)))));
    }
}
