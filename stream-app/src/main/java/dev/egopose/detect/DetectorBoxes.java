package dev.egopose.detect;

import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.crop.FrameDecoder;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * POTTER's boxes from one frame's pixels: the frame stood upright, one tracking step, and each
 * hand's landmarks boxed by the train/val rule in the undistorted 512 image (through the fisheye
 * calibration), or in the frame itself when it already is the undistorted image.
 */
public final class DetectorBoxes {
    private final HandTracker tracker;
    private final FrameDecoder decoder = new FrameDecoder();

    public DetectorBoxes(HandTracker tracker) {
        this.tracker = tracker;
    }

    /**
     * @param boxes the box per hand side; a hand outside the undistorted image has none
     * @param step  the tracking step (its {@link TrackStep#nextTracks()} are the next frame's {@code previous})
     */
    public record Result(Map<HandSide, HandBox> boxes, TrackStep step) {
        public Result {
            boxes = Map.copyOf(boxes);
        }
    }

    /**
     * The same from the frame's encoded bytes, decoded here at full size.
     *
     * @param calibration the fisheye calibration as the frame carries it (fitted here to the frame's
     *                    sensor-orientation size); empty for an undistorted frame
     * @throws dev.egopose.crop.ImageDecodeException when the bytes are no image
     * @throws dev.egopose.camera.CalibrationException when the calibration does not fit the frame
     */
    public Result find(byte[] encoded, FrameOrientation orientation, Optional<RgbCalibration> calibration, List<HandTrack> previous) {
        Mat bgr = decoder.decodeBgr(encoded, 1);
        try {
            boolean sensor = orientation == FrameOrientation.SENSOR;
            int width = sensor ? bgr.cols() : bgr.rows();
            int height = sensor ? bgr.rows() : bgr.cols();
            return find(bgr, orientation, calibration.map(c -> c.fittedTo(width, height)), previous);
        } finally {
            bgr.release();
        }
    }

    /**
     * @param bgr         the decoded frame as stored (BGR); not changed
     * @param calibration the fisheye calibration fitted to the frame's sensor-orientation size; empty for
     *                    a frame that is already the benchmark's undistorted image
     * @param previous    the tracks the previous frame's step gave
     */
    public Result find(Mat bgr, FrameOrientation orientation, Optional<RgbCalibration> calibration, List<HandTrack> previous) {
        Upright upright = new Upright(orientation, bgr.cols(), bgr.rows());
        Mat view = upright.image(bgr);
        TrackStep step;
        try {
            Imgproc.cvtColor(view, view, Imgproc.COLOR_BGR2RGB);
            step = tracker.step(view, previous);
        } finally {
            view.release();
        }
        Map<HandSide, HandBox> boxes = new EnumMap<>(HandSide.class);
        for (DetectedHand hand : step.hands()) {
            double[] xy = hand.landmarks().xy();
            Optional<HandBox> box = calibration.isPresent() ? LandmarkBoxes.undistorted(xy, upright, calibration.get())
                    : LandmarkBoxes.image(xy, upright);
            box.ifPresent(b -> boxes.put(hand.side(), b));
        }
        return new Result(boxes, step);
    }
}
