package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.RigidTransform;
import dev.egopose.domain.HandBox;
import dev.egopose.handtrack.HandTrackingBoxes;
import dev.egopose.handtrack.MpsHandTrackingCsv;
import dev.egopose.handtrack.TrackedHand;
import dev.egopose.handtrack.TrackingSample;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code egopose handboxes}: the boxes the processor would give each tracked hand. */
@Command(
        name = "handboxes",
        mixinStandardHelpOptions = true,
        description = {
            "Print the hand boxes the processor makes from Aria hand tracking, per sample and hand.",
            "Reads MPS hand_tracking_results.csv or wrist_and_palm_poses.csv (any version) and a calibration",
            "JSON with the RGB camera's T_Device_Camera. Boxes in the benchmark's undistorted 512x512 image",
            "(the processor's) and in fisheye pixels of the calibration's own size; none (null) for a hand below",
            "--min-confidence, behind the camera or outside the image. Hands MPS marks absent are left out."
        })
final class HandBoxesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hand-tracking", required = true, paramLabel = "FILE", description = "MPS hand_tracking_results.csv or wrist_and_palm_poses.csv.")
    Path handTracking;

    @Option(names = "--calib", required = true, paramLabel = "CALIB_JSON", description = "Calibration JSON with camera-rgb (Projection and T_Device_Camera).")
    Path calib;

    @Option(names = "--min-confidence", defaultValue = "0.5", paramLabel = "C", description = "Hands tracked with less confidence get no box (handtracking.min.confidence; default: ${DEFAULT-VALUE}).")
    double minConfidence;

    @Option(names = "--json", description = "One JSON array of {timestamp_us, side, confidence, box_undistorted, box_fisheye}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new ParameterException(spec.commandLine(), "--min-confidence must be between 0 and 1, got " + minConfidence);
        }
        CalibrationJson reader = new CalibrationJson();
        RgbCalibration calibration = reader.read(calib);
        RigidTransform deviceFromCamera = reader.readDeviceFromCamera(calib).orElseThrow(() -> new ParameterException(spec.commandLine(),
                calib + ": camera-rgb has no T_Device_Camera, so tracked hands cannot be projected"));
        List<TrackingSample> samples = MpsHandTrackingCsv.read(handTracking);
        HandTrackingBoxes boxes = new HandTrackingBoxes(minConfidence);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode all = mapper.createArrayNode();
        for (TrackingSample sample : samples) {
            for (TrackedHand hand : sample.hands()) {
                Optional<HandBox> undistorted = boxes.undistorted(hand, deviceFromCamera);
                Optional<HandBox> fisheye = boxes.fisheye(hand, deviceFromCamera, calibration);
                if (json) {
                    ObjectNode node = all.addObject();
                    node.put("timestamp_us", sample.timeUs());
                    node.put("side", hand.side().name().toLowerCase(Locale.ROOT));
                    node.put("confidence", hand.confidence());
                    putBox(node, "box_undistorted", undistorted);
                    putBox(node, "box_fisheye", fisheye);
                } else {
                    System.out.printf("%d %-5s %.3f undistorted %s fisheye %s%n", sample.timeUs(), hand.side().name().toLowerCase(Locale.ROOT),
                            hand.confidence(), undistorted.map(HandBox::toString).orElse("none"), fisheye.map(HandBox::toString).orElse("none"));
                }
            }
        }
        if (json) {
            System.out.println(mapper.writeValueAsString(all));
        } else {
            System.out.printf("%d samples from %s; fisheye boxes in %dx%d pixels%n", samples.size(), handTracking,
                    calibration.width(), calibration.height());
        }
        return 0;
    }

    /** {@code field: [x1, y1, x2, y2]}, or {@code null} without a box. */
    static void putBox(ObjectNode node, String field, Optional<HandBox> box) {
        if (box.isEmpty()) {
            node.putNull(field);
            return;
        }
        node.putArray(field).add(box.get().x1()).add(box.get().y1()).add(box.get().x2()).add(box.get().y2());
    }
}
