package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.detect.DetectorBoxes;
import dev.egopose.detect.HandDetector;
import dev.egopose.detect.HandTrack;
import dev.egopose.detect.HandTracker;
import dev.egopose.detect.MediaPipeModels;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.synth.SyntheticDataset;
import dev.egopose.synth.SyntheticTake;
import dev.egopose.synth.SyntheticTakes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code egopose bench detector}: the image-only hand boxes on synthetic takes, timed and scored against the truth. */
@Command(
        name = "detector",
        mixinStandardHelpOptions = true,
        description = {
            "Run palm detection and landmark tracking over generated synthetic takes, frame by frame as the processor",
            "does, on the undistorted 512x512 images and on the 1408x1408 fisheye frames (boxes through the calibration),",
            "and compare the boxes with the ground truth: recall (a true hand with a box of its side at IoU >= 0.5),",
            "recall ignoring sides, mean IoU of the recalled hands, boxes matching no true hand (false_boxes), and per frame",
            "the detection and landmark milliseconds."
        })
final class BenchDetectorCommand implements Callable<Integer> {
    static final double MATCH_IOU = 0.5;

    @Spec
    CommandSpec spec;

    @Option(names = "--frames", defaultValue = "30", paramLabel = "N", description = "Frames per take (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--takes", defaultValue = "2", paramLabel = "K", description = "Synthetic takes (default: ${DEFAULT-VALUE}).")
    int takes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the synthetic takes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--models", paramLabel = "DIR", description = "Folder with the MediaPipe models (default: $EGOPOSE_MEDIAPIPE_DIR or ~/.cache/egopose/mediapipe).")
    Path models;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "TFLite threads (default: ${DEFAULT-VALUE}, as in the processor).")
    int threads;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    /** Totals over one kind of image. */
    private static final class Tally {
        int truths;
        int recalled;
        int recalledAnySide;
        int boxes;
        int falseBoxes;
        double iouSum;
        int frames;
        int detections;
        final List<Double> detectMs = new ArrayList<>();
        final List<Double> frameMs = new ArrayList<>();

        ObjectNode json(ObjectMapper mapper) {
            ObjectNode n = mapper.createObjectNode();
            n.put("frames", frames);
            n.put("true_hands", truths);
            n.put("recall", truths == 0 ? 0 : (double) recalled / truths);
            n.put("recall_any_side", truths == 0 ? 0 : (double) recalledAnySide / truths);
            n.put("mean_iou", recalled == 0 ? 0 : iouSum / recalled);
            n.put("boxes", boxes);
            n.put("false_boxes", falseBoxes);
            n.put("frames_with_detection", detections);
            n.put("detection_ms_p50", percentile(detectMs, 0.5));
            n.put("frame_ms_p50", percentile(frameMs, 0.5));
            n.put("frame_ms_p90", percentile(frameMs, 0.9));
            return n;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || frames > 10_000 || takes < 1 || takes > 100 || threads < 1 || threads > 64) {
            throw new ParameterException(spec.commandLine(), "--frames must be 1..10000, --takes 1..100, --threads 1..64");
        }
        MediaPipeModels location = models != null ? new MediaPipeModels(models) : MediaPipeModels.defaultLocation();
        if (!location.present()) {
            throw new ParameterException(spec.commandLine(), "no MediaPipe models in " + location.dir() + ": run scripts/fetch-mediapipe.sh");
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode result = mapper.createObjectNode();
        try (ScratchDir dir = ScratchDir.create("egopose-bench-detector");
             HandDetector detector = HandDetector.load(location, threads)) {
            SyntheticDataset dataset = SyntheticTakes.generate(dir.path(), frames, takes, seed);
            RgbCalibration calibration = new SyntheticTakes().calibration();
            DetectorBoxes boxes = new DetectorBoxes(new HandTracker(detector, 2));
            result.put("takes", takes);
            result.put("frames_per_take", frames);
            result.set("undistorted", run(boxes, dataset, false, calibration).json(mapper));
            result.set("fisheye", run(boxes, dataset, true, calibration).json(mapper));
        }
        if (json) {
            System.out.println(mapper.writeValueAsString(result));
        } else {
            for (String kind : List.of("undistorted", "fisheye")) {
                var n = result.get(kind);
                System.out.printf(Locale.ROOT, "%-11s recall %.3f (any side %.3f), mean IoU %.3f over %d hands, %d false boxes; detection ran on %d of %d"
                                + " frames, %.0f ms p50; frame %.0f ms p50, %.0f ms p90%n", kind, n.get("recall").asDouble(),
                        n.get("recall_any_side").asDouble(), n.get("mean_iou").asDouble(), n.get("true_hands").asInt(), n.get("false_boxes").asInt(),
                        n.get("frames_with_detection").asInt(), n.get("frames").asInt(), n.get("detection_ms_p50").asDouble(),
                        n.get("frame_ms_p50").asDouble(), n.get("frame_ms_p90").asDouble());
            }
        }
        return 0;
    }

    private static Tally run(DetectorBoxes boxes, SyntheticDataset dataset, boolean fisheye, RgbCalibration calibration) {
        Tally tally = new Tally();
        for (SyntheticTake take : dataset.takes()) {
            List<HandTrack> previous = List.of();
            for (int frame : take.frameNumbers()) {
                Path image = fisheye ? dataset.distortedImage(take, frame) : dataset.undistortedImage(take, frame);
                Mat bgr = Imgcodecs.imread(image.toString());
                DetectorBoxes.Result found;
                long start = System.nanoTime();
                try {
                    found = boxes.find(bgr, FrameOrientation.SENSOR, fisheye ? Optional.of(calibration) : Optional.empty(), previous);
                } finally {
                    bgr.release();
                }
                tally.frameMs.add((System.nanoTime() - start) / 1e6);
                tally.frames++;
                if (found.step().detected()) {
                    tally.detections++;
                    tally.detectMs.add(found.step().detectMs());
                }
                previous = found.step().nextTracks();
                FrameAnnotation truth = dataset.groundTruth().frame(take.uid(), frame).orElseThrow();
                for (HandBox box : found.boxes().values()) {
                    tally.boxes++;
                    if (Arrays.stream(HandSide.values()).noneMatch(side -> truth.hand(side).box().filter(t -> iou(box, t) >= MATCH_IOU).isPresent())) {
                        tally.falseBoxes++;
                    }
                }
                for (HandSide side : HandSide.values()) {
                    Optional<HandBox> expected = truth.hand(side).box();
                    if (expected.isEmpty()) {
                        continue;
                    }
                    tally.truths++;
                    HandBox same = found.boxes().get(side);
                    if (same != null && iou(same, expected.get()) >= MATCH_IOU) {
                        tally.recalled++;
                        tally.iouSum += iou(same, expected.get());
                    }
                    if (found.boxes().values().stream().anyMatch(b -> iou(b, expected.get()) >= MATCH_IOU)) {
                        tally.recalledAnySide++;
                    }
                }
            }
        }
        return tally;
    }

    static double iou(HandBox a, HandBox b) {
        double ix = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double iy = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double inter = ix * iy;
        return inter / (a.width() * a.height() + b.width() * b.height() - inter);
    }

    private static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }
}
