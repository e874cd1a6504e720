package dev.egopose.egoexo;

import dev.egopose.domain.HandSide;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A whole gt_anno file ({@code {take_uid: {frame_number: record}}}), takes ordered by uid. Immutable. */
public record GroundTruth(SortedMap<String, TakeAnnotation> takes) {
    public GroundTruth {
        TreeMap<String, TakeAnnotation> copy = new TreeMap<>(takes);
        for (Map.Entry<String, TakeAnnotation> e : copy.entrySet()) {
            if (!e.getKey().equals(e.getValue().takeUid())) {
                throw new IllegalArgumentException("take " + e.getValue().takeUid() + " filed under key " + e.getKey());
            }
        }
        takes = Collections.unmodifiableSortedMap(copy);
    }

    public Optional<FrameAnnotation> frame(String takeUid, int frameNumber) {
        TakeAnnotation take = takes.get(takeUid);
        return take == null ? Optional.empty() : take.frame(frameNumber);
    }

    /** Number of frames over all takes. */
    public int frameCount() {
        return takes.values().stream().mapToInt(t -> t.frames().size()).sum();
    }

    /** Number of hands of this side that have a box (the hands a submission must predict). */
    public int boxedHands(HandSide side) {
        return (int) frames().filter(f -> f.hand(side).box().isPresent()).count();
    }

    /** Number of hands of this side that have 3D ground truth (the hands the benchmark evaluates). */
    public int evaluatedHands(HandSide side) {
        return (int) frames().filter(f -> f.hand(side).isEvaluated()).count();
    }

    private Stream<FrameAnnotation> frames() {
        return takes.values().stream().flatMap(t -> t.frames().values().stream());
    }
}
