package dev.egopose.cli;

import dev.egopose.synth.SyntheticDataset;
import dev.egopose.synth.SyntheticTake;
import dev.egopose.synth.SyntheticTakes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code egopose synth}: synthetic Ego-Exo4D takes with exact hand ground truth. */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Write synthetic takes in the Ego-Exo4D layout, with exact ground truth: two parametric hands moving in front of"
                    + " a textured scene, ray-cast into 1408x1408 Aria fisheye frames (the sample factory calibration) and,"
                    + " independently, into the benchmark's 512x512 undistorted pinhole images (f = 150).",
            "Writes under DIR: annotation/ego_pose_gt_anno_val_public.json (2D, 3D, boxes, validity),"
                    + " annotation/ego_pose_gt_anno_test_public.json (boxes only), image/undistorted/val/<take>/<frame:06d>.jpg,"
                    + " image/distorted/val/<take>/<frame:06d>.jpg and aria_calib_json/<take>.json. Take names are"
                    + " synth_<seed>_<k>; uids are derived from the seed. The same arguments give the same files."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "1:the output could not be written", "2:bad arguments"})
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created; existing files of the same names are replaced).")
    Path out;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "30", description = "Frames per take, numbered 0..N-1 at 30 fps (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--takes", paramLabel = "K", defaultValue = "1", description = "Number of takes (default: ${DEFAULT-VALUE}).")
    int takes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the hands' motion, colours and scene (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-progress", description = "Do not show the progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (frames < 1 || takes < 1) {
            stderr.println("error: --frames and --takes must be at least 1 (got " + frames + " and " + takes + ")");
            return 2;
        }
        long start = System.nanoTime();
        SyntheticTakes generator = new SyntheticTakes();
        SyntheticDataset data;
        try (ProgressBar bar = noProgress ? null : progressBar((long) frames * takes)) {
            data = generator.write(out, frames, takes, seed, bar == null ? () -> { } : bar::step);
        } catch (IOException e) {
            stderr.println("error: cannot write the synthetic takes under " + out + ": " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        stdout.printf(Locale.ROOT, "wrote %d take(s) x %d frame(s) under %s in %.1f s%n", takes, frames, data.root(), seconds);
        stdout.println("  gt (val shape):  " + data.annotationVal());
        stdout.println("  gt (test shape): " + data.annotationTest());
        stdout.println("  aria_img_dir:    " + data.undistortedImages() + "  (split " + data.split() + ")");
        stdout.println("  distorted:       " + data.distortedImages());
        stdout.println("  calibrations:    " + data.calibrations());
        for (SyntheticTake take : data.takes()) {
            stdout.println("  take " + take.uid() + " " + take.name());
        }
        stdout.println("replay the fisheye frames into a running processor with:");
        stdout.println("  egopose replay --anno " + data.annotationTest() + " --images " + data.distortedImages()
                + " --split " + data.split() + " --calib " + data.calibrations());
        stdout.flush();
        return 0;
    }

    private static ProgressBar progressBar(long total) {
        return new ProgressBarBuilder()
                .setTaskName("synth")
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" frames", 1)
                .build();
    }
}
