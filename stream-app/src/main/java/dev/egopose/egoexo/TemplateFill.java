package dev.egopose.egoexo;

import java.util.Objects;

/**
 * A submission completed against a template gt_anno, with its bookkeeping: {@code expectedHands} is the
 * number of hands with a box in the template, {@code filledHands} how many of them got a prediction, and
 * {@code droppedPredictions} the predictions left out because the template has no box (or no frame) for them.
 */
public record TemplateFill(Submission submission, int expectedHands, int filledHands, int droppedPredictions) {
    public TemplateFill {
        Objects.requireNonNull(submission, "submission");
    }

    /** Hands with a box in the template but no prediction; written as {@code []}. */
    public int missingHands() {
        return expectedHands - filledHands;
    }
}
