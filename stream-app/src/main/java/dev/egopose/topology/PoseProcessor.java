package dev.egopose.topology;

import dev.egopose.avro.AvroMapping;
import dev.egopose.domain.Joints3d;
import dev.egopose.model.Batcher;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPose;
import dev.egopose.schema.HandPoses;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Runs the frame's crops through the shared batcher (waiting for its own result, so the record is
 * fully handled before {@code process} returns) and emits the frame's poses. A frame without hands
 * still yields a {@code HandPoses} with no hands, so consumers see every frame.
 */
final class PoseProcessor implements Processor<String, Object, String, Object> {
    static final String NAME = "pose";
    static final String SINK = "poses-sink";

    private final Batcher batcher;
    private final ModelCalls modelCalls;
    private final int maxAttempts;
    private ProcessorContext<String, Object> context;
    private StageGuard guard;
    private Sensor latency;
    private Sensor captureToPose;

    PoseProcessor(Batcher batcher, StageLimits limits) {
        this.batcher = batcher;
        this.modelCalls = new ModelCalls(batcher, limits.modelRetries(), limits.retryBackoff());
        this.maxAttempts = limits.recordMaxAttempts();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.guard = new StageGuard(context, NAME, maxAttempts);
        this.latency = context.metrics().addLatencyRateTotalSensor("egopose", NAME, "model", Sensor.RecordingLevel.INFO);
        // capture (frame's captureTimeNs, epoch) -> pose emitted; also counts the frames that come out
        this.captureToPose = context.metrics().addLatencyRateTotalSensor("egopose", NAME, "capture-to-pose", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, Object> record) {
        CroppedFrame cropped = (CroppedFrame) record.value();
        FrameJob job = cropped.job();
        guard.run(job.originalKey(), job.originalValue(), record.timestamp(), job::describe, () -> pose(record, cropped));
    }

    private void pose(Record<String, Object> record, CroppedFrame cropped) {
        FrameJob job = cropped.job();
        long start = System.nanoTime();
        List<Joints3d> joints = modelCalls.predict(cropped.crops().stream().map(HandCrop::tensor).toList(), job.describe());
        long nanos = System.nanoTime() - start;
        latency.record(nanos);
        List<HandPose> hands = new ArrayList<>(joints.size());
        for (int i = 0; i < joints.size(); i++) {
            HandCrop crop = cropped.crops().get(i);
            hands.add(AvroMapping.toAvro(crop.side(), joints.get(i), crop.box()));
        }
        Frame frame = job.frame();
        HandPoses poses = HandPoses.newBuilder()
                .setTakeUid(frame.getTakeUid())
                .setTakeName(frame.getTakeName())
                .setFrameNumber(frame.getFrameNumber())
                .setCaptureTimeNs(frame.getCaptureTimeNs())
                .setHands(hands)
                .setModelId(batcher.card().modelId())
                .setReceivedAtMs(job.receivedAtMs())
                .setEmittedAtMs(System.currentTimeMillis())
                .setDecodeMs(job.decodeMs())
                .setCropMs(cropped.cropMs())
                .setModelMs(nanos / 1e6f)
                .build();
        context.forward(record.withValue((Object) poses), SINK);
        captureToPose.record(poses.getEmittedAtMs() * 1_000_000L - poses.getCaptureTimeNs());
    }
}
