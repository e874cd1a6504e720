package dev.egopose.egoexo;

import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Collects predictions as they arrive (the sink's in-memory model). {@link #put} is idempotent: a
 * re-delivered pose overwrites the same take/frame/hand. Thread-safe; {@link #snapshot()} gives an
 * immutable {@link Submission} to write.
 */
public final class SubmissionStore {
    private final Map<String, TreeMap<Integer, FramePrediction>> takes = new HashMap<>();
    private int hands;

    /**
     * Stores the joints (metres) of one hand, replacing any earlier value.
     *
     * @return whether the stored content changed (false when the same value was already there)
     * @throws IllegalArgumentException for an empty take uid, a negative frame, or a non-finite coordinate
     */
    public synchronized boolean put(String takeUid, int frameNumber, HandSide side, Joints3d joints) {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(joints, "joints");
        if (takeUid == null || takeUid.isEmpty()) {
            throw new IllegalArgumentException("a prediction needs a take uid");
        }
        if (frameNumber < 0) {
            throw new IllegalArgumentException("take " + takeUid + ": negative frame number " + frameNumber);
        }
        double[] xyz = joints.xyz();
        for (int i = 0; i < xyz.length; i++) {
            if (!Double.isFinite(xyz[i])) {
                throw new IllegalArgumentException("take " + takeUid + ", frame " + frameNumber + ", " + side.jsonName()
                        + " hand: joint " + i / 3 + " has a non-finite coordinate " + xyz[i]);
            }
        }
        TreeMap<Integer, FramePrediction> frames = takes.computeIfAbsent(takeUid, t -> new TreeMap<>());
        FramePrediction before = frames.getOrDefault(frameNumber, FramePrediction.EMPTY);
        Optional<Joints3d> previous = before.hand(side);
        if (previous.isPresent() && previous.get().equals(joints)) {
            return false;
        }
        if (previous.isEmpty()) {
            hands++;
        }
        frames.put(frameNumber, before.with(side, Optional.of(joints)));
        return true;
    }

    public synchronized Optional<Joints3d> get(String takeUid, int frameNumber, HandSide side) {
        TreeMap<Integer, FramePrediction> frames = takes.get(takeUid);
        FramePrediction frame = frames == null ? null : frames.get(frameNumber);
        return frame == null ? Optional.empty() : frame.hand(side);
    }

    /** Number of hands stored. */
    public synchronized int size() {
        return hands;
    }

    /** An immutable copy of everything stored so far. */
    public synchronized Submission snapshot() {
        TreeMap<String, SortedMap<Integer, FramePrediction>> copy = new TreeMap<>();
        takes.forEach((uid, frames) -> copy.put(uid, new TreeMap<>(frames)));
        return new Submission(copy);
    }
}
