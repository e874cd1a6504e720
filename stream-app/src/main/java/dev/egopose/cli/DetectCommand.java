package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.crop.FrameDecoder;
import dev.egopose.detect.DetectedHand;
import dev.egopose.detect.HandDetector;
import dev.egopose.detect.HandTracker;
import dev.egopose.detect.LandmarkBoxes;
import dev.egopose.detect.MediaPipeModels;
import dev.egopose.detect.TrackStep;
import dev.egopose.detect.Upright;
import dev.egopose.domain.HandBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code egopose detect}: hand boxes from one image, by palm detection and one landmark pass. */
@Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Find hands in one image with MediaPipe's palm detector and hand landmark model (scripts/fetch-mediapipe.sh",
            "fetches them) and print each hand's side, palm score and box: box_image in the image's own pixels (tight box",
            "of the 21 landmarks padded by 20 px), box_undistorted in the benchmark's undistorted 512x512 image when a",
            "fisheye calibration is given (null without one, or when the hand is outside that image)."
        })
final class DetectCommand implements Callable<Integer> {
    static final long MAX_IMAGE_BYTES = 32L << 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "JPEG or PNG image.")
    Path image;

    @Option(names = "--calib", paramLabel = "CALIB_JSON", description = "Calibration JSON with camera-rgb; its size is fitted to the image's.")
    Path calib;

    @Option(names = "--orientation", defaultValue = "sensor", paramLabel = "sensor|rotated",
            description = "How the image is stored: sensor (landscape, as the calibration) or rotated (90 degrees clockwise,"
                    + " as in recorded mp4s). Default: ${DEFAULT-VALUE}.")
    String orientation;

    @Option(names = "--models", paramLabel = "DIR", description = "Folder with the MediaPipe models (default: $EGOPOSE_MEDIAPIPE_DIR or ~/.cache/egopose/mediapipe).")
    Path models;

    @Option(names = "--max-hands", defaultValue = "2", paramLabel = "N", description = "Hands to look for, 1 or 2 (default: ${DEFAULT-VALUE}).")
    int maxHands;

    @Option(names = "--json", description = "One JSON array of {side, score, presence, box_image, box_undistorted}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        FrameOrientation stored = switch (orientation) {
            case "sensor" -> FrameOrientation.SENSOR;
            case "rotated" -> FrameOrientation.PORTRAIT;
            default -> throw new ParameterException(spec.commandLine(), "--orientation must be sensor or rotated, got " + orientation);
        };
        if (maxHands < 1 || maxHands > 2) {
            throw new ParameterException(spec.commandLine(), "--max-hands must be 1 or 2, got " + maxHands);
        }
        if (!Files.isRegularFile(image)) {
            throw new ParameterException(spec.commandLine(), "--image " + image + " is not a file");
        }
        long size = Files.size(image);
        if (size > MAX_IMAGE_BYTES) {
            throw new ParameterException(spec.commandLine(), "--image " + image + " has " + size + " bytes, more than the " + MAX_IMAGE_BYTES + " allowed");
        }
        MediaPipeModels location = models != null ? new MediaPipeModels(models) : MediaPipeModels.defaultLocation();
        if (!location.present()) {
            throw new ParameterException(spec.commandLine(), "no MediaPipe models in " + location.dir() + ": run scripts/fetch-mediapipe.sh");
        }
        byte[] bytes = Files.readAllBytes(image);
        FrameDecoder decoder = new FrameDecoder();
        Mat bgr = decoder.decodeBgr(bytes, 1);
        Upright upright = new Upright(stored, bgr.cols(), bgr.rows());
        Optional<RgbCalibration> calibration = Optional.empty();
        if (calib != null) {
            int sensorWidth = stored == FrameOrientation.SENSOR ? bgr.cols() : bgr.rows();
            int sensorHeight = stored == FrameOrientation.SENSOR ? bgr.rows() : bgr.cols();
            calibration = Optional.of(new CalibrationJson().read(calib).fittedTo(sensorWidth, sensorHeight));
        }
        TrackStep step;
        Mat view = upright.image(bgr);
        try (HandDetector detector = HandDetector.load(location, Math.max(1, Runtime.getRuntime().availableProcessors()))) {
            Imgproc.cvtColor(view, view, Imgproc.COLOR_BGR2RGB);
            step = new HandTracker(detector, maxHands).step(view, List.of());
        } finally {
            bgr.release();
            view.release();
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode all = mapper.createArrayNode();
        for (DetectedHand hand : step.hands()) {
            Optional<HandBox> inImage = LandmarkBoxes.image(hand.landmarks().xy(), upright);
            Optional<HandBox> undistorted = calibration.flatMap(c -> LandmarkBoxes.undistorted(hand.landmarks().xy(), upright, c));
            String side = hand.side().name().toLowerCase(Locale.ROOT);
            if (json) {
                ObjectNode node = all.addObject();
                node.put("side", side);
                node.put("score", hand.palmScore());
                node.put("presence", hand.landmarks().presence());
                HandBoxesCommand.putBox(node, "box_image", inImage);
                HandBoxesCommand.putBox(node, "box_undistorted", undistorted);
            } else {
                System.out.printf(Locale.ROOT, "%-5s palm %.3f presence %.3f image %s undistorted %s%n", side, hand.palmScore(),
                        hand.landmarks().presence(), inImage.map(HandBox::toString).orElse("none"), undistorted.map(HandBox::toString).orElse("none"));
            }
        }
        if (json) {
            System.out.println(mapper.writeValueAsString(all));
        } else {
            System.out.printf(Locale.ROOT, "%d hands in %s; palm detection %.0f ms, landmarks %.0f ms%n", step.hands().size(), image,
                    step.detectMs(), step.landmarkMs());
        }
        return 0;
    }
}
