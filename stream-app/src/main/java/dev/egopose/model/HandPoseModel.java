package dev.egopose.model;

import dev.egopose.domain.Joints3d;
import java.util.List;

/**
 * Predicts 3D hand poses from normalised hand crops. Implementations are safe to call from
 * several threads at once.
 */
public interface HandPoseModel extends AutoCloseable {
    /** The card describing inputs, outputs and provenance. */
    ModelCard card();

    /**
     * Poses for a batch of crops, in order. Each crop is {@code 3 x size x size} floats, CHW, RGB,
     * normalised as the card says. Joints come out in metres, wrist-relative, wrist exactly zero.
     */
    List<Joints3d> predict(List<float[]> crops);

    @Override
    void close();
}
