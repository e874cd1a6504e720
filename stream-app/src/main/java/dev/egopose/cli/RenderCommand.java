package dev.egopose.cli;

import dev.egopose.egoexo.EgoExoFormatException;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionReader;
import dev.egopose.egoexo.TakeAnnotation;
import dev.egopose.render.FrameScene;
import dev.egopose.render.RenderedFrame;
import dev.egopose.render.Renderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code egopose render}: overlay and 3D skeleton pictures of chosen frames. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = {
            "Draw chosen frames as two PNGs each: <take>_<frame>_overlay.png (the undistorted 512x512 image with the"
                    + " boxes, the predicted skeleton in magenta (right) / cyan (left) and the ground-truth skeleton in"
                    + " green) and <take>_<frame>_3d.png (per hand, ground truth left and prediction right, wrist-relative,"
                    + " same oblique view and scale).",
            "A wrist-relative prediction (wrist at the origin, as the baseline writes them) is drawn at the ground-truth"
                    + " wrist when the frame has 3D ground truth, else with its centroid on the ray through the box centre at"
                    + " --nominal-depth; an absolute prediction is drawn where it is."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:pictures written", "1:an input is unreadable or malformed, or a picture could not be written",
            "2:bad arguments (e.g. a --frames entry not in the ground truth)"})
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--gt", required = true, paramLabel = "FILE",
            description = "gt_anno JSON of any split (frames, boxes and, for train/val, the 3D ground truth).")
    Path gt;

    @Option(names = "--pred", paramLabel = "FILE", description = "Submission JSON with the predictions (metres). Without it only the ground truth is drawn.")
    Path pred;

    @Option(names = "--images", paramLabel = "DIR",
            description = "The benchmark's aria_img_dir: holds <split>/<take_name>/<frame:06d>.jpg (undistorted 512x512)."
                    + " Without it, or where a frame's image is missing, the overlay is drawn on black.")
    Path images;

    @Option(names = "--split", defaultValue = "val", paramLabel = "NAME", description = "Split folder under --images (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--frames", split = ",", paramLabel = "TAKE:FRAME",
            description = "Frames to draw, e.g. 0df55687-...:398,synth_0_0:12; TAKE is a take uid or name. Default: --count frames evenly spaced over the ground truth.")
    List<String> frames;

    @Option(names = "--count", defaultValue = "4", paramLabel = "N", description = "How many evenly spaced frames to draw without --frames (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--out", defaultValue = "render", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--nominal-depth", defaultValue = "0.4", paramLabel = "METRES",
            description = "Depth at which a wrist-relative prediction without 3D ground truth is drawn (default: ${DEFAULT-VALUE}).")
    double nominalDepth;

    private record FrameKey(String takeUid, int frame) {}

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (count < 1 || !(nominalDepth > 0)) {
            stderr.println("error: --count must be at least 1 and --nominal-depth positive");
            return 2;
        }
        GroundTruth truth;
        Optional<Submission> prediction = Optional.empty();
        try {
            truth = new GtAnnoReader().read(gt);
            if (pred != null) {
                prediction = Optional.of(new SubmissionReader().readTolerant(pred).submission());
            }
        } catch (EgoExoFormatException e) {
            stderr.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            stderr.println("error: cannot read " + (e.getMessage() == null ? "an input" : e.getMessage()));
            return 1;
        }
        List<FrameKey> keys;
        try {
            keys = frames == null || frames.isEmpty() ? evenlySpaced(truth, count) : parse(truth, frames);
        } catch (IllegalArgumentException e) {
            stderr.println("error: " + e.getMessage());
            return 2;
        }
        if (keys.isEmpty()) {
            stderr.println("error: the ground truth " + gt + " has no frames");
            return 2;
        }
        Renderer renderer = new Renderer(dev.egopose.camera.PinholeCamera.BENCHMARK, nominalDepth);
        for (FrameKey key : keys) {
            FrameScene scene = FrameScenes.of(truth, prediction, key.takeUid(), key.frame());
            Optional<Path> image = images == null ? Optional.empty()
                    : Optional.of(images.resolve(split).resolve(scene.takeName()).resolve(String.format(Locale.ROOT, "%06d.jpg", key.frame())));
            if (image.isPresent() && !Files.isRegularFile(image.get())) {
                stderr.println("warning: no image " + image.get() + "; drawing on black");
            }
            try {
                RenderedFrame done = renderer.renderFrame(scene, image, out);
                stdout.println(done.overlay());
                stdout.println(done.skeletons());
            } catch (IOException e) {
                stderr.println("error: cannot write pictures of take " + key.takeUid() + " frame " + key.frame() + " under " + out + ": " + e.getMessage());
                return 1;
            }
        }
        stdout.flush();
        return 0;
    }

    /** {@code n} frames evenly spaced over all frames, ordered by take uid then frame number (all when fewer). */
    static List<FrameKey> evenlySpaced(GroundTruth truth, int n) {
        List<FrameKey> all = new ArrayList<>();
        for (TakeAnnotation take : truth.takes().values()) {
            for (FrameAnnotation frame : take.frames().values()) {
                all.add(new FrameKey(take.takeUid(), frame.frameNumber()));
            }
        }
        if (all.size() <= n) {
            return all;
        }
        List<FrameKey> chosen = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            chosen.add(all.get(n == 1 ? 0 : (int) Math.round(i * (all.size() - 1) / (double) (n - 1))));
        }
        return chosen;
    }

    private static List<FrameKey> parse(GroundTruth truth, List<String> entries) {
        List<FrameKey> keys = new ArrayList<>();
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("--frames entry '" + entry + "' is not TAKE:FRAME");
            }
            String take = entry.substring(0, colon);
            int frame;
            try {
                frame = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--frames entry '" + entry + "': frame '" + entry.substring(colon + 1) + "' is not a number");
            }
            String uid = resolveTake(truth, take)
                    .orElseThrow(() -> new IllegalArgumentException("--frames entry '" + entry + "': no take with uid or name '" + take + "' in the ground truth"));
            if (truth.frame(uid, frame).isEmpty()) {
                throw new IllegalArgumentException("--frames entry '" + entry + "': take " + take + " has no frame " + frame + " in the ground truth");
            }
            keys.add(new FrameKey(uid, frame));
        }
        return keys;
    }

    private static Optional<String> resolveTake(GroundTruth truth, String take) {
        if (truth.takes().containsKey(take)) {
            return Optional.of(take);
        }
        return truth.takes().values().stream()
                .filter(t -> t.takeName().filter(take::equals).isPresent())
                .map(TakeAnnotation::takeUid)
                .findFirst();
    }
}
