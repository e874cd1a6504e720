package dev.egopose.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.egoexo.FramePrediction;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.HandAnnotation;
import dev.egopose.egoexo.JointMask;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionReader;
import dev.egopose.egoexo.SubmissionStore;
import dev.egopose.egoexo.TakeAnnotation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final double TOL = 1e-6; // mm

    /** A hand in metres: wrist at (0.1, -0.05, 0.4), joint j offset by (j, 2j mod 7, 3j mod 5) cm. */
    private static double[][] hand() {
        double[][] rows = new double[21][];
        for (int j = 0; j < 21; j++) {
            rows[j] = new double[] {0.1 + 0.01 * j, -0.05 + 0.01 * (2 * j % 7), 0.4 + 0.01 * (3 * j % 5)};
        }
        return rows;
    }

    private static double[][] shift(double[][] rows, double dx, double dy, double dz) {
        double[][] out = new double[rows.length][];
        for (int j = 0; j < rows.length; j++) {
            out[j] = new double[] {rows[j][0] + dx, rows[j][1] + dy, rows[j][2] + dz};
        }
        return out;
    }

    private static boolean[] validExcept(int... invalid) {
        boolean[] valid = new boolean[21];
        java.util.Arrays.fill(valid, true);
        for (int j : invalid) {
            valid[j] = false;
        }
        return valid;
    }

    /** A ground-truth hand; joints not valid are NaN, except the wrist, which the benchmark always keeps. */
    private static HandAnnotation truth(double[][] rows, boolean[] valid) {
        double[][] gt = new double[21][];
        for (int j = 0; j < 21; j++) {
            gt[j] = valid[j] || j == 0 ? rows[j].clone() : new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new HandAnnotation(Optional.empty(), Optional.of(Joints3d.ofRows(gt)), Optional.of(new JointMask(valid)), Optional.empty());
    }

    private static GroundTruth gt(String take, int frame, HandAnnotation left, HandAnnotation right) {
        return gtOf(Map.of(take, Map.of(frame, new FrameAnnotation(frame, left, right, Optional.empty()))));
    }

    private static GroundTruth gtOf(Map<String, Map<Integer, FrameAnnotation>> takes) {
        TreeMap<String, TakeAnnotation> out = new TreeMap<>();
        takes.forEach((uid, frames) -> out.put(uid, new TakeAnnotation(uid, new TreeMap<>(frames))));
        return new GroundTruth(out);
    }

    private static Submission pred(String take, int frame, HandSide side, double[][] rows) {
        SortedMap<Integer, FramePrediction> frames = new TreeMap<>(Map.of(frame, FramePrediction.EMPTY.with(side, Optional.of(Joints3d.ofRows(rows)))));
        return new Submission(new TreeMap<>(Map.of(take, frames)));
    }

    @Test
    void invalidJointsAreIgnored() {
        boolean[] valid = validExcept(2, 5, 11, 17);
        double[][] p = shift(hand(), 0.003, 0.004, 0); // 5 mm off at every joint...
        for (int j : new int[] {2, 5, 11, 17}) {
            p[j] = new double[] {1e3, -1e3, 1e3}; // ...and wildly off where the truth is not valid
        }
        EvaluationReport report = new Evaluator(false, false)
                .evaluate(gt("t", 3, HandAnnotation.NONE, truth(hand(), valid)), pred("t", 3, HandSide.RIGHT, p));
        assertEquals(1, report.overall().hands());
        assertEquals(5.0, report.overall().mpjpeMm(), TOL);
        assertEquals(0.0, report.overall().paMpjpeMm(), TOL);
        assertEquals(17, report.hands().get(0).validJoints());
    }

    @Test
    void mirroredPredictionOnSixValidJointsGivesTheHandDerivedValue() {
        // Valid joints form the six axis points of PoseErrorTest (in mm: +-3, +-2, +-1 around a centre);
        // the prediction mirrors them through the centre's z plane: PA-MPJPE 6/7 mm; MPJPE: only the two z
        // points move, by 2 mm each: 4/6 mm.
        double[] c = {0.05, -0.02, 0.45};
        double[][] six = {{3, 0, 0}, {-3, 0, 0}, {0, 2, 0}, {0, -2, 0}, {0, 0, 1}, {0, 0, -1}};
        int[] at = {1, 4, 8, 12, 16, 20};
        double[][] gtRows = hand();
        double[][] predRows = hand();
        boolean[] valid = new boolean[21];
        for (int k = 0; k < 6; k++) {
            valid[at[k]] = true;
            gtRows[at[k]] = new double[] {c[0] + six[k][0] / 1000, c[1] + six[k][1] / 1000, c[2] + six[k][2] / 1000};
            predRows[at[k]] = new double[] {c[0] + six[k][0] / 1000, c[1] + six[k][1] / 1000, c[2] - six[k][2] / 1000};
        }
        EvaluationReport report = new Evaluator(false, false)
                .evaluate(gt("t", 0, truth(gtRows, valid), HandAnnotation.NONE), pred("t", 0, HandSide.LEFT, predRows));
        assertEquals(6.0 / 7.0, report.overall().paMpjpeMm(), TOL);
        assertEquals(4.0 / 6.0, report.overall().mpjpeMm(), TOL);
    }

    @Test
    void offsetAddsTheTrueWristEvenWhenTheWristIsNotValid() {
        boolean[] valid = validExcept(0, 9);
        double[][] relative = shift(hand(), -0.1 + 0.001, 0.05, -0.4); // wrist-relative, plus 1 mm in x
        GroundTruth truth = gt("t", 3, HandAnnotation.NONE, truth(hand(), valid));
        Submission prediction = pred("t", 3, HandSide.RIGHT, relative);

        EvaluationReport withOffset = new Evaluator(true, false).evaluate(truth, prediction);
        assertEquals(1.0, withOffset.overall().mpjpeMm(), TOL);
        assertEquals(0.0, withOffset.overall().paMpjpeMm(), TOL);

        // Without --offset every joint is off by wrist - (1 mm, 0, 0) = (99, -50, 400) mm.
        EvaluationReport without = new Evaluator(false, false).evaluate(truth, prediction);
        assertEquals(Math.sqrt(99 * 99 + 50 * 50 + 400 * 400), without.overall().mpjpeMm(), TOL);
        assertEquals(0.0, without.overall().paMpjpeMm(), TOL);
    }

    @Test
    void finalScoreIsTheUnweightedMeanOverHandInstances() {
        boolean[] all = validExcept();
        boolean[] few = validExcept(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); // 6 valid joints: same weight
        GroundTruth truth = gtOf(Map.of(
                "take-a", Map.of(
                        1, new FrameAnnotation(1, HandAnnotation.NONE, truth(hand(), all), Optional.empty()),
                        2, new FrameAnnotation(2, truth(hand(), few), HandAnnotation.NONE, Optional.empty())),
                "take-b", Map.of(
                        7, new FrameAnnotation(7, HandAnnotation.NONE, truth(hand(), all), Optional.empty()))));
        SubmissionStore store = new SubmissionStore();
        store.put("take-a", 1, HandSide.RIGHT, Joints3d.ofRows(shift(hand(), 0.003, 0.004, 0))); // 5 mm
        store.put("take-a", 2, HandSide.LEFT, Joints3d.ofRows(shift(hand(), 0, 0, -0.001))); // 1 mm
        store.put("take-b", 7, HandSide.RIGHT, Joints3d.ofRows(shift(hand(), 0, 0.006, 0))); // 6 mm
        store.put("take-b", 7, HandSide.LEFT, Joints3d.ofRows(shift(hand(), 0.5, 0, 0))); // not evaluated: ignored
        store.put("take-c", 1, HandSide.LEFT, Joints3d.ofRows(hand())); // take not in the truth: ignored

        EvaluationReport report = new Evaluator(false, false).evaluate(truth, store.snapshot());
        assertEquals(3, report.overall().hands());
        assertEquals(4.0, report.overall().mpjpeMm(), TOL);
        assertEquals(5.5, report.bySide().get(HandSide.RIGHT).mpjpeMm(), TOL);
        assertEquals(2, report.bySide().get(HandSide.RIGHT).hands());
        assertEquals(1.0, report.bySide().get(HandSide.LEFT).mpjpeMm(), TOL);
        assertEquals(3.0, report.byTake().get("take-a").mpjpeMm(), TOL);
        assertEquals(6.0, report.byTake().get("take-b").mpjpeMm(), TOL);
        assertEquals(java.util.List.of("take-a", "take-b"), java.util.List.copyOf(report.byTake().keySet()));
        assertEquals(0.0, report.overall().paMpjpeMm(), TOL);
    }

    @Test
    void missingPredictionIsAnErrorNamingTakeFrameAndHandUnlessLenient() {
        GroundTruth truth = gtOf(Map.of("t", Map.of(
                4, new FrameAnnotation(4, truth(hand(), validExcept()), truth(hand(), validExcept()), Optional.empty()))));
        Submission onlyRight = pred("t", 4, HandSide.RIGHT, shift(hand(), 0.002, 0, 0));

        EvaluationException e = assertThrows(EvaluationException.class, () -> new Evaluator(false, false).evaluate(truth, onlyRight));
        assertEquals(EvaluationException.Input.PREDICTION, e.input());
        assertEquals("t", e.takeUid());
        assertEquals(4, e.frameNumber());
        assertEquals(HandSide.LEFT, e.side());
        assertEquals("take t, frame 4, left hand: no prediction: left_hand_3d is [] or missing", e.getMessage());

        EvaluationReport lenient = new Evaluator(false, true).evaluate(truth, onlyRight);
        assertEquals(1, lenient.skipped().size());
        assertEquals(new SkippedHand("t", 4, HandSide.LEFT, e.getMessage()), lenient.skipped().get(0));
        assertEquals(1, lenient.overall().hands());
        assertEquals(2.0, lenient.overall().mpjpeMm(), TOL);

        EvaluationException noTake = assertThrows(EvaluationException.class,
                () -> new Evaluator(false, false).evaluate(truth, Submission.empty()));
        assertTrue(noTake.getMessage().contains("the take is missing"), noTake.getMessage());
        assertEquals(HandSide.RIGHT, noTake.side(), "right is evaluated first, as in the benchmark");
    }

    @Test
    void malformedPredictionIsReportedWithItsReason() throws IOException {
        GroundTruth truth = gt("t", 4, HandAnnotation.NONE, truth(hand(), validExcept()));
        SubmissionReader.Result read = new SubmissionReader().readTolerant(new ByteArrayInputStream(
                "{\"t\": {\"4\": {\"left_hand_3d\": [], \"right_hand_3d\": [[1, 2, 3]]}}}".getBytes(StandardCharsets.UTF_8)), "pred.json");

        EvaluationException e = assertThrows(EvaluationException.class, () -> new Evaluator(false, false).evaluate(truth, read));
        assertEquals("take t, frame 4, right hand: prediction is not 21x[x,y,z]: right_hand_3d: expected 21 joints or [], found 1",
                e.getMessage());
        assertEquals(1, new Evaluator(false, true).evaluate(truth, read).skipped().size());
    }

    @Test
    void nonFinitePredictionCountsOnlyOnValidJoints() {
        double[][] p = shift(hand(), 0.003, 0.004, 0);
        p[6] = new double[] {Double.NaN, 0, 0};
        GroundTruth invalidSix = gt("t", 1, HandAnnotation.NONE, truth(hand(), validExcept(6)));
        assertEquals(5.0, new Evaluator(false, false).evaluate(invalidSix, pred("t", 1, HandSide.RIGHT, p)).overall().mpjpeMm(), TOL);

        GroundTruth allValid = gt("t", 1, HandAnnotation.NONE, truth(hand(), validExcept()));
        EvaluationException e = assertThrows(EvaluationException.class,
                () -> new Evaluator(false, false).evaluate(allValid, pred("t", 1, HandSide.RIGHT, p)));
        assertEquals(EvaluationException.Input.PREDICTION, e.input());
        assertTrue(e.getMessage().contains("joint 6 has a non-finite predicted coordinate"), e.getMessage());
    }

    @Test
    void groundTruthProblemsFailEvenWhenLenient() {
        double[][] rows = hand();
        rows[0] = new double[] {Double.NaN, Double.NaN, Double.NaN};
        HandAnnotation noWrist = new HandAnnotation(Optional.empty(), Optional.of(Joints3d.ofRows(rows)),
                Optional.of(new JointMask(validExcept(0))), Optional.empty());
        EvaluationException e = assertThrows(EvaluationException.class,
                () -> new Evaluator(true, true).evaluate(gt("t", 2, noWrist, HandAnnotation.NONE), pred("t", 2, HandSide.LEFT, hand())));
        assertEquals(EvaluationException.Input.GROUND_TRUTH, e.input());
        assertTrue(e.getMessage().contains("wrist is not finite"), e.getMessage());

        HandAnnotation noneValid = truth(hand(), new boolean[21]);
        EvaluationException none = assertThrows(EvaluationException.class,
                () -> new Evaluator(false, true).evaluate(gt("t", 2, noneValid, HandAnnotation.NONE), pred("t", 2, HandSide.LEFT, hand())));
        assertEquals(EvaluationException.Input.GROUND_TRUTH, none.input());
    }

    @Test
    void predictionCollapsedToOnePointIsAPredictionProblem() {
        double[][] p = new double[21][];
        for (int j = 0; j < 21; j++) {
            p[j] = new double[] {0.1, 0.1, 0.4};
        }
        GroundTruth truth = gt("t", 1, HandAnnotation.NONE, truth(hand(), validExcept()));
        EvaluationException e = assertThrows(EvaluationException.class,
                () -> new Evaluator(false, false).evaluate(truth, pred("t", 1, HandSide.RIGHT, p)));
        assertEquals(EvaluationException.Input.PREDICTION, e.input());
        assertEquals(1, new Evaluator(false, true).evaluate(truth, pred("t", 1, HandSide.RIGHT, p)).skipped().size());
    }
}
