package dev.egopose.egoexo;

import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of a submission file, {@code {take_uid: {frame_number: {left_hand_3d, right_hand_3d}}}}, in
 * metres: takes ordered by uid, frames by number. Immutable; {@link SubmissionStore} builds one incrementally.
 */
public record Submission(SortedMap<String, SortedMap<Integer, FramePrediction>> takes) {
    public Submission {
        TreeMap<String, SortedMap<Integer, FramePrediction>> copy = new TreeMap<>();
        for (Map.Entry<String, SortedMap<Integer, FramePrediction>> take : takes.entrySet()) {
            TreeMap<Integer, FramePrediction> frames = new TreeMap<>(take.getValue());
            frames.keySet().forEach(n -> {
                if (n < 0) {
                    throw new IllegalArgumentException("take " + take.getKey() + ": negative frame number " + n);
                }
            });
            copy.put(take.getKey(), Collections.unmodifiableSortedMap(frames));
        }
        takes = Collections.unmodifiableSortedMap(copy);
    }

    public static Submission empty() {
        return new Submission(new TreeMap<>());
    }

    public Optional<FramePrediction> frame(String takeUid, int frameNumber) {
        SortedMap<Integer, FramePrediction> frames = takes.get(takeUid);
        return frames == null ? Optional.empty() : Optional.ofNullable(frames.get(frameNumber));
    }

    public Optional<Joints3d> get(String takeUid, int frameNumber, HandSide side) {
        return frame(takeUid, frameNumber).flatMap(f -> f.hand(side));
    }

    public int frameCount() {
        return takes.values().stream().mapToInt(Map::size).sum();
    }

    /** Number of hands with a prediction. */
    public int handCount() {
        return takes.values().stream().flatMap(f -> f.values().stream()).mapToInt(FramePrediction::handCount).sum();
    }

    /**
     * This submission laid over every frame of {@code template}: each template frame appears; a hand keeps
     * its prediction only where the template has a box for it; everything else is absent ({@code []}).
     */
    public TemplateFill fillTemplate(GroundTruth template) {
        TreeMap<String, SortedMap<Integer, FramePrediction>> out = new TreeMap<>();
        int expected = 0;
        int filled = 0;
        for (TakeAnnotation take : template.takes().values()) {
            TreeMap<Integer, FramePrediction> frames = new TreeMap<>();
            for (FrameAnnotation frame : take.frames().values()) {
                FramePrediction result = FramePrediction.EMPTY;
                for (HandSide side : HandSide.values()) {
                    if (frame.hand(side).box().isPresent()) {
                        expected++;
                        Optional<Joints3d> joints = get(take.takeUid(), frame.frameNumber(), side);
                        if (joints.isPresent()) {
                            filled++;
                            result = result.with(side, joints);
                        }
                    }
                }
                frames.put(frame.frameNumber(), result);
            }
            out.put(take.takeUid(), frames);
        }
        return new TemplateFill(new Submission(out), expected, filled, handCount() - filled);
    }
}
