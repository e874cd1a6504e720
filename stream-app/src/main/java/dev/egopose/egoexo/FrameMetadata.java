package dev.egopose.egoexo;

import java.util.Objects;

/** The {@code metadata} object of a gt_anno record. */
public record FrameMetadata(String takeUid, String takeName, int frameNumber) {
    public FrameMetadata {
        Objects.requireNonNull(takeUid, "takeUid");
        Objects.requireNonNull(takeName, "takeName");
    }
}
