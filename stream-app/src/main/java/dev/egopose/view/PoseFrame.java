package dev.egopose.view;

import dev.egopose.avro.AvroMapping;
import dev.egopose.camera.ImagePoint;
import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.Ray;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.Joints3d;
import dev.egopose.render.PredictionPlacement;
import dev.egopose.schema.HandPose;
import dev.egopose.schema.HandPoses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One frame's poses as the view shows them.
 *
 * @param frameNumber the frame within its take
 * @param emittedAtMs when the processor produced the poses (epoch ms)
 * @param latencyMs   capture to pose (emitted minus capture time)
 * @param modelMs     the frame's time in the batched model call
 * @param picture     the frame number of the picture to draw under it (this frame's, else the newest kept before it), -1 for none
 * @param hands       the predicted hands
 */
public record PoseFrame(long frameNumber, long emittedAtMs, double latencyMs, double modelMs, long picture, List<HandView> hands) {
    private static final PinholeCamera CAMERA = PinholeCamera.BENCHMARK;
    private static final PredictionPlacement PLACEMENT = new PredictionPlacement(CAMERA, 0.4);
    private static final int MAX_HANDS = 4;

    /**
     * The view of a pose record.
     *
     * @throws IllegalArgumentException naming what is wrong: too many hands, joints that are not 63
     *     finite numbers, a box without area
     */
    static PoseFrame from(HandPoses poses, long picture) {
        if (poses.getHands().size() > MAX_HANDS) {
            throw new IllegalArgumentException(poses.getHands().size() + " hands in one frame");
        }
        List<HandView> hands = new ArrayList<>(poses.getHands().size());
        for (HandPose hand : poses.getHands()) {
            Joints3d joints = AvroMapping.toJoints(hand.getJoints());
            double[] xyz = joints.xyz();
            for (double v : xyz) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("a joint coordinate is " + v);
                }
            }
            HandBox box = AvroMapping.toDomain(hand.getBox());
            hands.add(new HandView(hand.getSide().name(), new double[] {box.x1(), box.y1(), box.x2(), box.y2()},
                    wristRelative(xyz), pixels(joints, box)));
        }
        // whole milliseconds first: an epoch time in nanoseconds has no exact double
        long capture = poses.getCaptureTimeNs();
        double latencyMs = (poses.getEmittedAtMs() - Math.floorDiv(capture, 1_000_000L)) - Math.floorMod(capture, 1_000_000L) / 1e6;
        double modelMs = Float.isFinite(poses.getModelMs()) ? poses.getModelMs() : 0;
        return new PoseFrame(poses.getFrameNumber(), poses.getEmittedAtMs(), latencyMs, modelMs, picture, List.copyOf(hands));
    }

    private static double[] wristRelative(double[] xyz) {
        double[] relative = new double[xyz.length];
        for (int i = 0; i < xyz.length; i++) {
            relative[i] = xyz[i] - xyz[i % 3];
        }
        return relative;
    }

    private static double[] pixels(Joints3d joints, HandBox box) {
        Optional<Joints3d> placed = PLACEMENT.place(joints, Optional.empty(), Optional.of(box));
        if (placed.isEmpty()) {
            return new double[0];
        }
        double[] pixels = new double[2 * Joints3d.JOINTS];
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            Joints3d p = placed.get();
            if (!(p.get(j, 2) > 1e-3)) {
                return new double[0];
            }
            ImagePoint pixel = CAMERA.project(new Ray(p.get(j, 0), p.get(j, 1), p.get(j, 2)));
            pixels[2 * j] = pixel.x();
            pixels[2 * j + 1] = pixel.y();
        }
        return pixels;
    }
}
