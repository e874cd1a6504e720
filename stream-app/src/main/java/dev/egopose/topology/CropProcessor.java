package dev.egopose.topology;

import dev.egopose.avro.AvroMapping;
import dev.egopose.camera.Fisheye624;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.CalibrationException;
import dev.egopose.crop.HandCropper;
import dev.egopose.crop.ImageDecodeException;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.schema.Frame;
import dev.egopose.schema.Orientation;
import dev.egopose.schema.Pinhole;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Cuts each hand's 224x224 model input out of the frame: straight from an undistorted (pinhole)
 * image, or from a distorted fisheye frame exactly as the benchmark (undistort, then crop) or fused
 * (one remap per hand). Undecodable images and calibrations that do not fit the frame are refused.
 */
final class CropProcessor implements Processor<String, Object, String, Object> {
    static final String NAME = "crop";

    private final HandCropper cropper;
    private final CropMode mode;
    private final int maxAttempts;
    private ProcessorContext<String, Object> context;
    private StageGuard guard;
    private Sensor latency;

    CropProcessor(HandCropper cropper, CropMode mode, int maxAttempts) {
        this.cropper = cropper;
        this.mode = mode;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.guard = new StageGuard(context, NAME, maxAttempts);
        this.latency = context.metrics().addLatencyRateTotalSensor("egopose", NAME, "crop", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, Object> record) {
        FrameJob job = (FrameJob) record.value();
        long start = System.nanoTime();
        guard.run(job.originalKey(), job.originalValue(), record.timestamp(), job::describe, () -> {
            List<HandCrop> crops;
            try {
                crops = crop(job);
            } catch (ImageDecodeException e) {
                throw new RejectedRecord(job.describe() + ": field image: " + e.getMessage(), e);
            } catch (CalibrationException e) {
                throw new RejectedRecord(job.describe() + ": field camera: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new RejectedRecord(job.describe() + ": " + e.getMessage(), e);
            } catch (OutOfMemoryError e) {
                throw new RejectedRecord(job.describe() + ": field image: decoding it needs more memory than is free", e);
            }
            long nanos = System.nanoTime() - start;
            latency.record(nanos);
            context.forward(record.withValue((Object) new CroppedFrame(job, crops, nanos / 1e6f)), PoseProcessor.NAME);
        });
    }

    private List<HandCrop> crop(FrameJob job) {
        Frame frame = job.frame();
        List<HandSide> sides = new ArrayList<>();
        List<HandBox> boxes = new ArrayList<>();
        for (dev.egopose.schema.HandBox box : frame.getHands()) {
            sides.add(AvroMapping.sideOf(box));
            boxes.add(AvroMapping.toDomain(box));
        }
        if (boxes.isEmpty()) {
            return List.of();
        }
        List<float[]> tensors;
        if (frame.getCamera() instanceof Pinhole) {
            tensors = cropper.cropUndistorted(job.image(), boxes);
        } else {
            dev.egopose.schema.Fisheye624 camera = (dev.egopose.schema.Fisheye624) frame.getCamera();
            double[] params = camera.getParams().stream().mapToDouble(Double::doubleValue).toArray();
            RgbCalibration calibration = new RgbCalibration(new Fisheye624(params), camera.getCalibWidth(), camera.getCalibHeight());
            FrameOrientation orientation = frame.getOrientation() == Orientation.ROTATED_90_CW ? FrameOrientation.PORTRAIT : FrameOrientation.SENSOR;
            tensors = mode == CropMode.EXACT
                    ? cropper.cropExact(job.image(), orientation, calibration, boxes)
                    : cropper.cropFromFisheye(job.image(), orientation, calibration, boxes);
        }
        List<HandCrop> crops = new ArrayList<>(boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            crops.add(new HandCrop(sides.get(i), boxes.get(i), tensors.get(i)));
        }
        return crops;
    }
}
