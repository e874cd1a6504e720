package dev.egopose.replay;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import java.nio.file.Path;
import java.util.Map;

/** One frame to replay: where its image is and the hand boxes the annotation gives it. */
public record ReplayFrame(String takeUid, String takeName, int frameNumber, Path image, Map<HandSide, HandBox> boxes) {
    public ReplayFrame {
        boxes = Map.copyOf(boxes);
    }
}
