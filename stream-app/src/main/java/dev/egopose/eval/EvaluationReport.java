package dev.egopose.eval;

import dev.egopose.domain.HandSide;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of an evaluation: the overall score (the benchmark's number), the same per hand side and
 * per take, every hand's errors, and the hands skipped in lenient mode.
 */
public record EvaluationReport(
        Score overall, Map<HandSide, Score> bySide, SortedMap<String, Score> byTake, List<HandError> hands, List<SkippedHand> skipped) {
    public EvaluationReport {
        bySide = Collections.unmodifiableMap(new EnumMap<>(bySide));
        byTake = Collections.unmodifiableSortedMap(new TreeMap<>(byTake));
        hands = List.copyOf(hands);
        skipped = List.copyOf(skipped);
    }

    /** Builds every aggregate from the per-hand errors. */
    public static EvaluationReport of(List<HandError> hands, List<SkippedHand> skipped) {
        EnumMap<HandSide, Score> bySide = new EnumMap<>(HandSide.class);
        for (HandSide side : HandSide.values()) {
            bySide.put(side, Score.of(hands.stream().filter(h -> h.side() == side).toList()));
        }
        TreeMap<String, List<HandError>> perTake = new TreeMap<>();
        for (HandError h : hands) {
            perTake.computeIfAbsent(h.takeUid(), t -> new ArrayList<>()).add(h);
        }
        TreeMap<String, Score> byTake = new TreeMap<>();
        perTake.forEach((take, list) -> byTake.put(take, Score.of(list)));
        return new EvaluationReport(Score.of(hands), bySide, byTake, hands, skipped);
    }
}
