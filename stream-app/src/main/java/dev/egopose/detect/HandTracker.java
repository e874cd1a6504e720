package dev.egopose.detect;

import dev.egopose.domain.HandSide;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.opencv.core.Mat;

/**
 * MediaPipe Hands' tracking loop for one frame, without state of its own: the landmark model looks
 * in the rects the previous frame's landmarks gave; a hand whose presence falls below {@link Landmarks#MIN_PRESENCE} is lost;
 * when fewer hands than wanted remain, the palm detector runs on the whole frame and each new palm
 * (its rect overlapping no tracked hand's by more than 0.5 IoU) gets a landmark pass, and is a hand
 * when that pass's presence is high enough or the palm's score is at least {@link #SURE_PALM}. Two
 * hands whose rects overlap that much are one.
 *
 * <p>Sides: the landmark model's handedness is often unsure (on our synthetic hands little better
 * than chance), so it decides only what nothing else does. A tracked hand keeps its track's side; a new
 * hand near where a lost hand of a free side was takes that side; a new hand next to a tracked one
 * takes the other side. Otherwise a hand the model is sure of ({@link Landmarks#SURE}) goes by its
 * handedness, and the rest by where they are, as a wearer's hands reach out from their own side:
 * looking along a hand's reach (wrist to middle-finger base), the left hand's wrist lies left of the
 * view's centre; of two new hands, the one further right across their common reach is the right hand.
 * Reach and centre turn with the view, so this holds however the frame is turned.
 */
public final class HandTracker {
    static final double SAME_HAND_IOU = 0.5;
    /**
     * A new palm the detector scores this high is a hand even where the landmark model's presence on it
     * is below {@link Landmarks#MIN_PRESENCE} (our synthetic right hand on fisheye frames: 0.1-0.45); a
     * tracked hand is still lost below it, and found again by the detector.
     */
    static final double SURE_PALM = 0.7;

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

    /** One frame: {@code upright} an upright RGB image, {@code previous} the tracks from the last frame's step. */
    public TrackStep step(Mat upright, List<HandTrack> previous) {
        long start = System.nanoTime();
        List<DetectedHand> hands = new ArrayList<>();
        for (HandTrack track : previous) {
            if (track.seen()) {
                Landmarks found = detector.landmarks(upright, track.rect());
                if (found.presence() >= Landmarks.MIN_PRESENCE) {
                    add(hands, new DetectedHand(track.side(), Double.NaN, track.rect(), found), maxHands);
                }
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
            List<DetectedHand> fresh = new ArrayList<>();
            for (PalmDetection palm : palms.subList(0, Math.min(maxHands, palms.size()))) {
                HandRect rect = HandRect.fromPalm(palm);
                if (hands.stream().anyMatch(h -> h.rect().boundsIou(rect) > SAME_HAND_IOU)) {
                    continue;
                }
                Landmarks found = detector.landmarks(upright, rect);
                if ((found.presence() >= Landmarks.MIN_PRESENCE || palm.score() >= SURE_PALM) && !overlapsAny(hands, found)) {
                    add(fresh, new DetectedHand(found.side(), palm.score(), rect, found), maxHands - hands.size());
                }
            }
            hands.addAll(sided(fresh, hands, previous, upright.cols() / 2.0, upright.rows() / 2.0));
            landmarkMs += (System.nanoTime() - t) / 1e6;
        }
        return new TrackStep(hands, tracks(hands, previous), detected, detectMs, landmarkMs);
    }

    private static boolean overlapsAny(List<DetectedHand> hands, Landmarks found) {
        return hands.stream().anyMatch(h -> h.landmarks().nextRect().boundsIou(found.nextRect()) > SAME_HAND_IOU);
    }

    /** Adds a hand unless it is one already there (the more present of the two stays) or {@code max} are there. */
    private static void add(List<DetectedHand> hands, DetectedHand hand, int max) {
        for (int i = 0; i < hands.size(); i++) {
            DetectedHand other = hands.get(i);
            if (other.landmarks().nextRect().boundsIou(hand.landmarks().nextRect()) > SAME_HAND_IOU) {
                if (hand.landmarks().presence() > other.landmarks().presence()) {
                    hands.set(i, hand);
                }
                return;
            }
        }
        if (hands.size() < max) {
            hands.add(hand);
        }
    }

    /** New hands with their sides, none taken by a tracked hand (see the class comment); {@code (cx, cy)} the view's centre. */
    static List<DetectedHand> sided(List<DetectedHand> fresh, List<DetectedHand> tracked, List<HandTrack> previous, double cx, double cy) {
        Set<HandSide> free = EnumSet.allOf(HandSide.class);
        tracked.forEach(h -> free.remove(h.side()));
        DetectedHand[] out = new DetectedHand[fresh.size()];
        for (int i = 0; i < fresh.size(); i++) {
            DetectedHand hand = fresh.get(i);
            Optional<HandSide> remembered = previous.stream().filter(t -> free.contains(t.side()) && t.near(hand.rect()))
                    .min(Comparator.comparingDouble(t -> Math.hypot(t.rect().cx() - hand.rect().cx(), t.rect().cy() - hand.rect().cy())))
                    .map(HandTrack::side);
            if (remembered.isPresent()) {
                out[i] = hand.withSide(remembered.get());
                free.remove(remembered.get());
            }
        }
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                open.add(i);
            }
        }
        if (open.size() == 2 && free.size() == 2) {
            Landmarks a = fresh.get(open.get(0)).landmarks();
            Landmarks b = fresh.get(open.get(1)).landmarks();
            if (a.sure() && b.sure() && a.side() != b.side()) {
                open.sort(Comparator.comparingDouble(i -> fresh.get(i).landmarks().rightness()));
            } else {
                double[] ra = a.reach();
                double[] rb = b.reach();
                double[] reach = {ra[0] + rb[0], ra[1] + rb[1]};
                open.sort(Comparator.comparingDouble(i -> fresh.get(i).landmarks().rightOf(reach, cx, cy)));
            }
            out[open.get(0)] = fresh.get(open.get(0)).withSide(HandSide.LEFT);
            out[open.get(1)] = fresh.get(open.get(1)).withSide(HandSide.RIGHT);
        } else {
            for (int i : open) {
                Landmarks l = fresh.get(i).landmarks();
                HandSide side = free.size() == 1 ? free.iterator().next()
                        : l.sure() ? l.side() : l.rightOf(l.reach(), cx, cy) >= 0 ? HandSide.RIGHT : HandSide.LEFT;
                out[i] = fresh.get(i).withSide(side);
                free.remove(side);
            }
        }
        return List.of(out);
    }

    /** The next frame's tracks: the hands found, then lost hands of the other sides still remembered. */
    private static List<HandTrack> tracks(List<DetectedHand> hands, List<HandTrack> previous) {
        List<HandTrack> next = new ArrayList<>();
        Set<HandSide> sides = EnumSet.noneOf(HandSide.class);
        for (DetectedHand hand : hands) {
            next.add(new HandTrack(hand.side(), hand.landmarks().nextRect(), 0));
            sides.add(hand.side());
        }
        for (HandTrack track : previous) {
            if (!sides.contains(track.side()) && track.missed() < HandTrack.MAX_MISSED) {
                next.add(new HandTrack(track.side(), track.rect(), track.missed() + 1));
                sides.add(track.side());
            }
        }
        return next;
    }
}
