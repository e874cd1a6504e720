package dev.egopose.topology;

import dev.egopose.avro.AvroMapping;
import dev.egopose.camera.CalibrationException;
import dev.egopose.camera.Fisheye624;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.RigidTransform;
import dev.egopose.crop.ImageDecodeException;
import dev.egopose.detect.DetectorBoxes;
import dev.egopose.detect.HandTracks;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.handtrack.HandTrackingBoxes;
import dev.egopose.handtrack.TrackedHand;
import dev.egopose.schema.Frame;
import dev.egopose.schema.Orientation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Gives each hand its box before it is cropped. A box the frame carries wins; a hand the frame
 * carries only as Aria hand tracking gets the benchmark's box from its landmarks (or wrist and
 * palm) through the frame's {@code deviceFromCamera} ({@link HandTrackingBoxes}); a tracked hand
 * below the confidence threshold, behind the camera or outside the image is not posed. With the
 * detector, a frame carrying neither gets boxes from its pixels ({@link DetectorBoxes}); the hands
 * tracked so far in its take are in the state store {@value #TRACKS_STORE}, keyed by take, so a
 * restart or rebalance continues the tracking where it was.
 */
final class BoxesProcessor implements Processor<String, Object, String, Object> {
    static final String NAME = "boxes";
    static final String TRACKS_STORE = "detector-tracks";

    private final HandTrackingBoxes boxes;
    private final Optional<DetectorBoxes> detector;
    private final int maxAttempts;
    private ProcessorContext<String, Object> context;
    private StageGuard guard;
    private KeyValueStore<String, byte[]> tracks;

    BoxesProcessor(StageLimits limits, Optional<DetectorBoxes> detector) {
        this.boxes = new HandTrackingBoxes(limits.trackingMinConfidence());
        this.detector = detector;
        this.maxAttempts = limits.recordMaxAttempts();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.guard = new StageGuard(context, NAME, maxAttempts);
        if (detector.isPresent()) {
            this.tracks = context.getStateStore(TRACKS_STORE);
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        FrameJob job = (FrameJob) record.value();
        guard.run(job.originalKey(), job.originalValue(), record.timestamp(), job::describe, () -> {
            Frame frame = job.frame();
            if (!frame.getHandTracking().isEmpty()) {
                // the decoded frame is this record's own: set its hands rather than deep-copy it (and its image)
                frame.setHands(handsWithTrackedBoxes(frame, job.describe()));
            } else if (frame.getHands().isEmpty() && detector.isPresent()) {
                frame.setHands(detectedHands(job, detector.get()));
            }
            context.forward(record, CropProcessor.NAME);
        });
    }

    private List<dev.egopose.schema.HandBox> handsWithTrackedBoxes(Frame frame, String where) {
        if (frame.getDeviceFromCamera() == null) {
            throw new RejectedRecord(where + ": field deviceFromCamera: the frame carries hand tracking but not the camera's"
                    + " T_Device_Camera, so its landmarks cannot be projected");
        }
        RigidTransform deviceFromCamera;
        try {
            deviceFromCamera = new RigidTransform(doubles(frame.getDeviceFromCamera().getRotation()),
                    doubles(frame.getDeviceFromCamera().getTranslation()));
        } catch (IllegalArgumentException e) {
            throw new RejectedRecord(where + ": field deviceFromCamera: " + e.getMessage());
        }
        Set<HandSide> boxed = EnumSet.noneOf(HandSide.class);
        frame.getHands().forEach(b -> boxed.add(AvroMapping.sideOf(b)));
        Set<HandSide> tracked = EnumSet.noneOf(HandSide.class);
        List<dev.egopose.schema.HandBox> hands = new ArrayList<>(frame.getHands());
        for (dev.egopose.schema.TrackedHand t : frame.getHandTracking()) {
            HandSide side = HandSide.valueOf(t.getSide().name());
            if (!tracked.add(side)) {
                throw new RejectedRecord(where + ": field handTracking: two tracked " + side.name().toLowerCase() + " hands");
            }
            if (boxed.contains(side)) {
                continue; // a given box wins over tracking
            }
            Optional<HandBox> box = boxes.undistorted(trackedHand(t, side, where), deviceFromCamera);
            box.ifPresent(b -> hands.add(AvroMapping.toAvro(side, b)));
        }
        return hands;
    }

    private List<dev.egopose.schema.HandBox> detectedHands(FrameJob job, DetectorBoxes detector) {
        Frame frame = job.frame();
        FrameOrientation orientation = frame.getOrientation() == Orientation.ROTATED_90_CW ? FrameOrientation.PORTRAIT : FrameOrientation.SENSOR;
        Optional<RgbCalibration> calibration = frame.getCamera() instanceof dev.egopose.schema.Fisheye624 camera
                ? Optional.of(new RgbCalibration(new Fisheye624(doubles(camera.getParams())), camera.getCalibWidth(), camera.getCalibHeight()))
                : Optional.empty();
        DetectorBoxes.Result result;
        try {
            result = detector.find(job.image(), orientation, calibration, HandTracks.decode(tracks.get(job.takeUid())));
        } catch (ImageDecodeException e) {
            throw new RejectedRecord(job.describe() + ": field image: " + e.getMessage(), e);
        } catch (CalibrationException e) {
            throw new RejectedRecord(job.describe() + ": field camera: " + e.getMessage(), e);
        }
        tracks.put(job.takeUid(), HandTracks.encode(result.step().nextTracks()));
        List<dev.egopose.schema.HandBox> hands = new ArrayList<>();
        result.boxes().forEach((side, box) -> hands.add(AvroMapping.toAvro(side, box)));
        return hands;
    }

    private static TrackedHand trackedHand(dev.egopose.schema.TrackedHand t, HandSide side, String where) {
        try {
            if (!t.getLandmarks().isEmpty()) {
                return TrackedHand.ofLandmarks(side, t.getConfidence(), doubles(t.getLandmarks()));
            }
            return new TrackedHand(side, t.getConfidence(), new double[0], doubles(t.getWrist()), doubles(t.getPalm()));
        } catch (IllegalArgumentException e) {
            throw new RejectedRecord(where + ": field handTracking: " + e.getMessage());
        }
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
