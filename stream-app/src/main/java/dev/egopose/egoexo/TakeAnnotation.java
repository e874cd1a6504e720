package dev.egopose.egoexo;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The annotated frames of one take, keyed and ordered by frame number. Immutable. */
public record TakeAnnotation(String takeUid, SortedMap<Integer, FrameAnnotation> frames) {
    public TakeAnnotation {
        Objects.requireNonNull(takeUid, "takeUid");
        TreeMap<Integer, FrameAnnotation> copy = new TreeMap<>(frames);
        copy.forEach((number, frame) -> {
            if (number != frame.frameNumber()) {
                throw new IllegalArgumentException("frame " + frame.frameNumber() + " filed under key " + number);
            }
        });
        frames = Collections.unmodifiableSortedMap(copy);
    }

    /** The take's name (e.g. {@code upenn_0710_Guitar_1_6}) from the first frame's metadata, if any. */
    public Optional<String> takeName() {
        return frames.values().stream()
                .flatMap(f -> f.metadata().stream())
                .map(FrameMetadata::takeName)
                .findFirst();
    }

    public Optional<FrameAnnotation> frame(int frameNumber) {
        return Optional.ofNullable(frames.get(frameNumber));
    }
}
