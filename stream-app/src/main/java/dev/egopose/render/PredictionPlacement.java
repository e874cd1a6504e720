package dev.egopose.render;

import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.Ray;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.Joints3d;
import java.util.Optional;

/**
 * Where to draw a predicted hand in the undistorted image. A wrist-relative prediction (its wrist within
 * {@link #RELATIVE_TOLERANCE} of the origin, as the baseline writes them) is moved to the ground-truth
 * wrist when that is known; otherwise its joints' centroid is put on the ray through the box centre at
 * a nominal depth. An absolute prediction stays where it is.
 */
public record PredictionPlacement(PinholeCamera camera, double nominalDepth) {
    /** A prediction whose wrist lies within 1 mm of the origin counts as wrist-relative. */
    public static final double RELATIVE_TOLERANCE = 1e-3;

    public PredictionPlacement {
        if (!(nominalDepth > 0)) {
            throw new IllegalArgumentException("nominal depth must be positive, got " + nominalDepth);
        }
    }

    public static boolean isWristRelative(Joints3d prediction) {
        return Math.sqrt(prediction.get(0, 0) * prediction.get(0, 0) + prediction.get(0, 1) * prediction.get(0, 1)
                + prediction.get(0, 2) * prediction.get(0, 2)) <= RELATIVE_TOLERANCE;
    }

    /** The prediction in the camera frame, or empty when it cannot be placed (relative, with neither truth nor box). */
    public Optional<Joints3d> place(Joints3d prediction, Optional<Joints3d> truth, Optional<HandBox> box) {
        if (!isWristRelative(prediction)) {
            return Optional.of(prediction);
        }
        if (truth.isPresent() && Skeleton.finite(truth.get(), 0)) {
            Joints3d t = truth.get();
            return Optional.of(Skeleton.translated(prediction, t.get(0, 0), t.get(0, 1), t.get(0, 2)));
        }
        if (box.isPresent()) {
            double cx = 0;
            double cy = 0;
            double cz = 0;
            for (int j = 0; j < Joints3d.JOINTS; j++) {
                cx += prediction.get(j, 0) / Joints3d.JOINTS;
                cy += prediction.get(j, 1) / Joints3d.JOINTS;
                cz += prediction.get(j, 2) / Joints3d.JOINTS;
            }
            Ray ray = camera.unproject(box.get().centerX(), box.get().centerY());
            double depth = nominalDepth;
            return Optional.of(Skeleton.translated(prediction, ray.x() * depth - cx, ray.y() * depth - cy, depth - cz));
        }
        return Optional.empty();
    }
}
