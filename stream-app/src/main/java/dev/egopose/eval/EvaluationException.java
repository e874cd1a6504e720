package dev.egopose.eval;

import dev.egopose.domain.HandSide;

/** An evaluated hand that cannot be scored; names the take, frame and hand, and which input is at fault. */
public final class EvaluationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which input file holds the problem. */
    public enum Input {
        PREDICTION,
        GROUND_TRUTH
    }

    private final Input input;
    private final String takeUid;
    private final int frameNumber;
    private final HandSide side;

    EvaluationException(Input input, String takeUid, int frameNumber, HandSide side, String problem) {
        super("take " + takeUid + ", frame " + frameNumber + ", " + side.jsonName() + " hand: " + problem);
        this.input = input;
        this.takeUid = takeUid;
        this.frameNumber = frameNumber;
        this.side = side;
    }

    public Input input() {
        return input;
    }

    public String takeUid() {
        return takeUid;
    }

    public int frameNumber() {
        return frameNumber;
    }

    public HandSide side() {
        return side;
    }
}
