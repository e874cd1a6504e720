package dev.egopose.cli;

import dev.egopose.domain.HandSide;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.HandAnnotation;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.TakeAnnotation;
import dev.egopose.render.FrameScene;
import dev.egopose.render.HandScene;
import java.util.Optional;

/**
 * Builds the {@link FrameScene}s that {@link dev.egopose.render.Renderer} draws from what the Ego-Exo4D
 * files hold (the render package itself knows only the domain types). Stateless.
 */
public final class FrameScenes {
    private FrameScenes() {}

    /**
     * The scene of one frame of {@code truth}, with the matching prediction of {@code prediction} when given.
     * The take's name comes from the frame's metadata (the uid when there is none).
     *
     * @throws IllegalArgumentException when {@code truth} has no such take and frame
     */
    public static FrameScene of(GroundTruth truth, Optional<Submission> prediction, String takeUid, int frameNumber) {
        TakeAnnotation take = truth.takes().get(takeUid);
        FrameAnnotation frame = truth.frame(takeUid, frameNumber).orElseThrow(() -> new IllegalArgumentException(
                "the ground truth has no frame " + frameNumber + " of take " + takeUid));
        String name = frame.metadata().map(m -> m.takeName()).or(take::takeName).orElse(takeUid);
        return new FrameScene(takeUid, name, frameNumber,
                hand(frame, prediction, takeUid, frameNumber, HandSide.LEFT),
                hand(frame, prediction, takeUid, frameNumber, HandSide.RIGHT));
    }

    private static HandScene hand(FrameAnnotation frame, Optional<Submission> prediction, String takeUid, int frameNumber, HandSide side) {
        HandAnnotation annotation = frame.hand(side);
        return new HandScene(side, annotation.box(), annotation.joints3d(),
                prediction.flatMap(p -> p.get(takeUid, frameNumber, side)));
    }
}
