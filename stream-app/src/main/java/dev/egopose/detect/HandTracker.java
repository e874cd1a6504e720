package dev.egopose.detect;

import dev.egopose.domain.HandSide;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Mat;

/**
 * MediaPipe Hands' tracking loop for one frame, without state of its own: the landmark model looks
 * in the rects the previous frame's landmarks gave; a hand whose presence falls below 0.5 is lost;
 * when fewer hands than wanted remain, the palm detector runs on the whole frame and each new palm
 * (its rect overlapping no tracked hand's by more than 0.5 IoU) gets a landmark pass. Two hands
 * whose rects overlap that much are one; two of one side are told apart by the model's handedness
 * (the more certain keeps the side, the other takes the other).
 */
public final class HandTracker {
    static final double SAME_HAND_IOU = 0.5;

    private final HandDetector detector;
    private final int maxHands;

    /** @param maxHands hands wanted per frame, 1 or 2 */
    public HandTracker(HandDetector detector, int maxHands) {
        if (maxHands < 1 || maxHands > 2) {
            throw new IllegalArgumentException("a frame shows 1 or 2 hands of one wearer, got max hands " + maxHands);
        }
        this.detector = detector;
        this.maxHands = maxHands;
    }

    /** One frame: {@code upright} an upright RGB image, {@code previous} the rects from the last frame's step. */
    public TrackStep step(Mat upright, List<HandRect> previous) {
        long start = System.nanoTime();
        List<DetectedHand> hands = new ArrayList<>();
        for (HandRect rect : previous) {
            Landmarks found = detector.landmarks(upright, rect);
            if (found.presence() >= Landmarks.MIN_PRESENCE) {
                add(hands, new DetectedHand(found.side(), Double.NaN, rect, found));
            }
        }
        double landmarkMs = (System.nanoTime() - start) / 1e6;
        double detectMs = 0;
        boolean detected = hands.size() < maxHands;
        if (detected) {
            long t = System.nanoTime();
            List<PalmDetection> palms = detector.palms(upright);
            detectMs = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            for (PalmDetection palm : palms.subList(0, Math.min(maxHands, palms.size()))) {
                HandRect rect = HandRect.fromPalm(palm);
                if (hands.stream().anyMatch(h -> h.rect().boundsIou(rect) > SAME_HAND_IOU)) {
                    continue;
                }
                Landmarks found = detector.landmarks(upright, rect);
                if (found.presence() >= Landmarks.MIN_PRESENCE) {
                    add(hands, new DetectedHand(found.side(), palm.score(), rect, found));
                }
            }
            landmarkMs += (System.nanoTime() - t) / 1e6;
        }
        return new TrackStep(sided(hands), detected, detectMs, landmarkMs);
    }

    /** Adds a hand unless it is one already there (the more present of the two stays). */
    private void add(List<DetectedHand> hands, DetectedHand hand) {
        for (int i = 0; i < hands.size(); i++) {
            DetectedHand other = hands.get(i);
            if (other.landmarks().nextRect().boundsIou(hand.landmarks().nextRect()) > SAME_HAND_IOU) {
                if (hand.landmarks().presence() > other.landmarks().presence()) {
                    hands.set(i, hand);
                }
                return;
            }
        }
        if (hands.size() < maxHands) {
            hands.add(hand);
        }
    }

    private static List<DetectedHand> sided(List<DetectedHand> hands) {
        if (hands.size() < 2 || hands.get(0).side() != hands.get(1).side()) {
            return hands;
        }
        List<DetectedHand> byRightness = new ArrayList<>(hands);
        byRightness.sort(Comparator.comparingDouble(h -> h.landmarks().rightness()));
        return List.of(byRightness.get(0).withSide(HandSide.LEFT), byRightness.get(1).withSide(HandSide.RIGHT));
    }
}
