package dev.egopose.eval;

import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.egoexo.FramePrediction;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.HandAnnotation;
import dev.egopose.egoexo.JointMask;
import dev.egopose.egoexo.MalformedHand;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionReader;
import dev.egopose.egoexo.TakeAnnotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Scores a submission against gt_anno as the benchmark's {@code evaluate.py} does: every hand of every
 * ground-truth frame whose 3D annotation is non-empty is evaluated; prediction and truth are scaled from
 * metres to millimetres; with {@code offset} the prediction is wrist-relative and the true wrist is added
 * to it; only joints flagged in {@code valid_3d} count; per hand MPJPE and PA-MPJPE ({@link PoseError});
 * the final numbers are unweighted means over hand instances, both sides pooled. Predictions for frames or
 * hands the truth does not evaluate are ignored.
 *
 * <p>A missing or mis-shaped prediction for an evaluated hand is an error, as in the benchmark; with
 * {@code lenient} it is skipped and reported instead. Where the benchmark's script would silently produce
 * NaN (a non-finite predicted or true coordinate on a valid joint, no valid joint, a set with all joints at
 * one point) this evaluator reports the hand instead: as a prediction problem (skippable when lenient) or a
 * ground-truth problem (always an error).
 */
public final class Evaluator {
    private static final double MM_PER_M = 1000.0;

    private final boolean offset;
    private final boolean lenient;

    /**
     * @param offset  predictions are wrist-relative (the baseline's output): add the true wrist back
     * @param lenient skip and report evaluated hands with a missing or unusable prediction instead of failing
     */
    public Evaluator(boolean offset, boolean lenient) {
        this.offset = offset;
        this.lenient = lenient;
    }

    public EvaluationReport evaluate(GroundTruth truth, Submission prediction) {
        return evaluate(truth, prediction, List.of());
    }

    /** Scores a submission read with {@link SubmissionReader#readTolerant}; its malformed hands are reported by reason. */
    public EvaluationReport evaluate(GroundTruth truth, SubmissionReader.Result prediction) {
        return evaluate(truth, prediction.submission(), prediction.malformed());
    }

    private EvaluationReport evaluate(GroundTruth truth, Submission prediction, List<MalformedHand> malformed) {
        Map<String, String> malformedReasons = new HashMap<>();
        for (MalformedHand m : malformed) {
            malformedReasons.put(key(m.takeUid(), m.frameNumber(), m.side()), m.reason());
        }
        List<HandError> hands = new ArrayList<>();
        List<SkippedHand> skipped = new ArrayList<>();
        for (TakeAnnotation take : truth.takes().values()) {
            SortedMap<Integer, FramePrediction> predictedFrames = prediction.takes().get(take.takeUid());
            for (FrameAnnotation frame : take.frames().values()) {
                FramePrediction predicted = predictedFrames == null ? null : predictedFrames.get(frame.frameNumber());
                for (HandSide side : new HandSide[] {HandSide.RIGHT, HandSide.LEFT}) {
                    HandAnnotation gt = frame.hand(side);
                    if (!gt.isEvaluated()) {
                        continue;
                    }
                    try {
                        Joints3d joints = predictedJoints(predictedFrames, predicted, side, malformedReasons, take.takeUid(), frame.frameNumber());
                        hands.add(score(take.takeUid(), frame.frameNumber(), side, gt, joints));
                    } catch (EvaluationException e) {
                        if (!lenient || e.input() != EvaluationException.Input.PREDICTION) {
                            throw e;
                        }
                        skipped.add(new SkippedHand(take.takeUid(), frame.frameNumber(), side, e.getMessage()));
                    }
                }
            }
        }
        return EvaluationReport.of(hands, skipped);
    }

    private static Joints3d predictedJoints(
            SortedMap<Integer, FramePrediction> frames, FramePrediction frame, HandSide side,
            Map<String, String> malformed, String take, int frameNumber) {
        Optional<Joints3d> joints = frame == null ? Optional.empty() : frame.hand(side);
        if (joints.isPresent()) {
            return joints.get();
        }
        String reason = malformed.get(key(take, frameNumber, side));
        if (reason == null) {
            reason = frames == null ? "no prediction: the take is missing from the predictions"
                    : frame == null ? "no prediction: the frame is missing from the predictions"
                    : "no prediction: " + side.jsonName() + "_hand_3d is [] or missing";
        } else {
            reason = "prediction is not 21x[x,y,z]: " + reason;
        }
        throw new EvaluationException(EvaluationException.Input.PREDICTION, take, frameNumber, side, reason);
    }

    private HandError score(String take, int frameNumber, HandSide side, HandAnnotation gt, Joints3d predicted) {
        JointMask valid = gt.valid3d().orElseThrow();
        Joints3d truth = gt.joints3d().orElseThrow();
        int n = valid.count();
        if (n == 0) {
            throw new EvaluationException(EvaluationException.Input.GROUND_TRUTH, take, frameNumber, side,
                    "no joint is flagged valid in " + side.jsonName() + "_hand_valid_3d, so there is nothing to score");
        }
        double[] wrist = new double[3];
        for (int d = 0; d < 3; d++) {
            wrist[d] = truth.get(0, d) * MM_PER_M;
        }
        if (offset && !(Double.isFinite(wrist[0]) && Double.isFinite(wrist[1]) && Double.isFinite(wrist[2]))) {
            throw new EvaluationException(EvaluationException.Input.GROUND_TRUTH, take, frameNumber, side,
                    "the true wrist is not finite, so a wrist-relative prediction cannot be placed (--offset)");
        }
        double[][] p = new double[n][3];
        double[][] g = new double[n][3];
        int row = 0;
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            if (!valid.isValid(j)) {
                continue;
            }
            for (int d = 0; d < 3; d++) {
                g[row][d] = truth.get(j, d) * MM_PER_M;
                p[row][d] = predicted.get(j, d) * MM_PER_M;
                if (offset) {
                    p[row][d] += wrist[d];
                }
                if (!Double.isFinite(g[row][d])) {
                    throw new EvaluationException(EvaluationException.Input.GROUND_TRUTH, take, frameNumber, side,
                            "joint " + j + " is flagged valid but its true coordinate is " + truth.get(j, d));
                }
                if (!Double.isFinite(predicted.get(j, d))) {
                    throw new EvaluationException(EvaluationException.Input.PREDICTION, take, frameNumber, side,
                            "joint " + j + " has a non-finite predicted coordinate " + predicted.get(j, d));
                }
            }
            row++;
        }
        double mpjpe = PoseError.mpjpe(p, g);
        double pa = PoseError.paMpjpe(p, g);
        if (Double.isNaN(pa)) {
            boolean truthDegenerate = PoseError.align(g, g) == null;
            if (truthDegenerate) {
                throw new EvaluationException(EvaluationException.Input.GROUND_TRUTH, take, frameNumber, side,
                        "the " + n + " valid true joints lie at one point, so PA-MPJPE is undefined");
            }
            throw new EvaluationException(EvaluationException.Input.PREDICTION, take, frameNumber, side,
                    "all valid predicted joints lie at one point, so PA-MPJPE is undefined");
        }
        return new HandError(take, frameNumber, side, n, mpjpe, pa);
    }

    private static String key(String take, int frame, HandSide side) {
        return take + '\u0000' + frame + '\u0000' + side;
    }
}
