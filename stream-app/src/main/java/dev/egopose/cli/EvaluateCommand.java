package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.domain.HandSide;
import dev.egopose.egoexo.EgoExoFormatException;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.egoexo.SubmissionReader;
import dev.egopose.egoexo.TakeAnnotation;
import dev.egopose.eval.EvaluationException;
import dev.egopose.eval.EvaluationReport;
import dev.egopose.eval.Evaluator;
import dev.egopose.eval.Score;
import dev.egopose.eval.SkippedHand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code egopose evaluate}: MPJPE and PA-MPJPE of a submission against a gt_anno file, as the benchmark computes them. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Score a submission JSON against an Ego-Exo4D gt_anno JSON (train/val split) with the benchmark's"
                + " MPJPE and PA-MPJPE in mm: overall (the leaderboard numbers), per hand side and per take.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:scored", "1:an input file is unreadable or malformed, or an evaluated hand cannot be scored"})
final class EvaluateCommand implements Callable<Integer> {
    private static final int MAX_SKIPPED_SHOWN = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--pred", required = true, paramLabel = "FILE",
            description = "Submission JSON: {take_uid: {frame: {left_hand_3d, right_hand_3d}}}, metres.")
    Path pred;

    @Option(names = "--gt", required = true, paramLabel = "FILE",
            description = "Ground truth: ego_pose_gt_anno_{train,val}_public.json.")
    Path gt;

    @Option(names = "--offset", description = "Predictions are wrist-relative: add the true wrist back (as the baseline's output needs).")
    boolean offset;

    @Option(names = "--lenient", description = "Skip and count evaluated hands whose prediction is missing or unusable instead of failing.")
    boolean lenient;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GroundTruth truth;
        SubmissionReader.Result prediction;
        try {
            truth = new GtAnnoReader().read(gt);
        } catch (EgoExoFormatException e) {
            err.println("error: ground truth " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot read ground truth " + gt + ": " + describe(e));
            return 1;
        }
        try {
            prediction = new SubmissionReader().readTolerant(pred);
        } catch (EgoExoFormatException e) {
            err.println("error: prediction " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot read prediction " + pred + ": " + describe(e));
            return 1;
        }
        if (truth.evaluatedHands(HandSide.LEFT) + truth.evaluatedHands(HandSide.RIGHT) == 0) {
            err.println("error: ground truth " + gt + " has no hand with 3D annotation (the test split has only boxes); nothing to score");
            return 1;
        }
        EvaluationReport report;
        try {
            report = new Evaluator(offset, lenient).evaluate(truth, prediction);
        } catch (EvaluationException e) {
            boolean predictionFault = e.input() == EvaluationException.Input.PREDICTION;
            err.println("error: " + (predictionFault ? "prediction " + pred : "ground truth " + gt) + ": " + e.getMessage()
                    + (predictionFault ? " (--lenient skips and counts such hands)" : ""));
            return 1;
        }
        if (json) {
            out.println(toJson(report));
        } else {
            printTable(out, truth, report);
        }
        if (!report.skipped().isEmpty()) {
            err.println("warning: skipped " + report.skipped().size() + " evaluated hand(s) with no usable prediction; the scores cover the rest");
            report.skipped().stream().limit(MAX_SKIPPED_SHOWN).map(SkippedHand::reason).forEach(r -> err.println("  " + r));
            if (report.skipped().size() > MAX_SKIPPED_SHOWN) {
                err.println("  ...");
            }
        }
        out.flush();
        err.flush();
        return 0;
    }

    private String toJson(EvaluationReport report) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        putScore(root, report.overall());
        ObjectNode bySide = root.putObject("by_side");
        for (HandSide side : HandSide.values()) {
            putScore(bySide.putObject(side.jsonName()), report.bySide().get(side));
        }
        ObjectNode byTake = root.putObject("by_take");
        report.byTake().forEach((take, score) -> putScore(byTake.putObject(take), score));
        if (lenient) {
            root.put("skipped", report.skipped().size());
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the report as JSON", e);
        }
    }

    private static void putScore(ObjectNode node, Score score) {
        putNumber(node, "mpjpe_mm", score.mpjpeMm());
        putNumber(node, "pa_mpjpe_mm", score.paMpjpeMm());
        node.put("hands", score.hands());
    }

    private static void putNumber(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    private void printTable(PrintWriter out, GroundTruth truth, EvaluationReport report) {
        out.printf(Locale.ROOT, "ground truth: %s%nprediction:   %s%noffset:       %s%n%n", gt, pred,
                offset ? "yes (wrist-relative predictions, true wrist added)" : "no (absolute predictions)");
        String format = "%-60s %7s %10s %12s%n";
        out.printf(Locale.ROOT, format, "scope", "hands", "MPJPE mm", "PA-MPJPE mm");
        row(out, format, "overall", report.overall());
        for (HandSide side : HandSide.values()) {
            row(out, format, side.jsonName() + " hands", report.bySide().get(side));
        }
        for (Map.Entry<String, Score> e : report.byTake().entrySet()) {
            TakeAnnotation take = truth.takes().get(e.getKey());
            String name = take == null ? "" : take.takeName().map(n -> " " + n).orElse("");
            row(out, format, "take " + e.getKey() + name, e.getValue());
        }
        if (lenient) {
            out.printf(Locale.ROOT, "%nskipped hands: %d%n", report.skipped().size());
        }
    }

    private static void row(PrintWriter out, String format, String label, Score score) {
        out.printf(Locale.ROOT, format, label, score.hands(), number(score.mpjpeMm()), number(score.paMpjpeMm()));
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "-";
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
