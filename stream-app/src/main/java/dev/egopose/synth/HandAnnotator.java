package dev.egopose.synth;

import dev.egopose.camera.ImagePoint;
import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.Ray;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMap;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.HandAnnotation;
import dev.egopose.egoexo.JointMask;
import dev.egopose.egoexo.Keypoints2d;
import java.util.Arrays;
import java.util.Optional;

/**
 * The ground truth of one hand, as the benchmark's train/val files state it, from its exact 3D joints:
 * 2D = projection with the undistorted 512x512 pinhole camera; a joint is valid when it lies in front of
 * the camera, inside the benchmark's 1.0 rad cone, inside the distorted frame and inside the 512 image;
 * invalid joints are NaN in 2D and 3D, except that the wrist's 3D is always kept; the box is the tight
 * box of the valid 2D joints padded by 20 px and clipped to [0, 511]. A hand with fewer than
 * {@link #MIN_VALID_JOINTS} valid joints, or whose wrist is behind the camera, is not annotated.
 */
public final class HandAnnotator {
    public static final double BOX_PADDING = 20;
    public static final int MIN_VALID_JOINTS = 3;

    private final PinholeCamera target;
    private final RgbCalibration fisheye;
    private final double maxAngle;

    /** @param fisheye the distorted frame's calibration, already fitted to its size */
    public HandAnnotator(PinholeCamera target, RgbCalibration fisheye, double maxAngle) {
        this.target = target;
        this.fisheye = fisheye;
        this.maxAngle = maxAngle;
    }

    /** The benchmark's annotator: 512x512 pinhole f = 150, 1.0 rad cone. */
    public static HandAnnotator benchmark(RgbCalibration fisheye) {
        return new HandAnnotator(PinholeCamera.BENCHMARK, fisheye, UndistortionMap.BENCHMARK_MAX_ANGLE);
    }

    public HandAnnotation annotate(Joints3d joints) {
        double[] xyz = joints.xyz();
        double[] xy = new double[Keypoints2d.VALUES];
        boolean[] valid = new boolean[Joints3d.JOINTS];
        int count = 0;
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            Ray ray = new Ray(xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2]);
            boolean ok = ray.z() > 0 && ray.angleFromAxis() <= maxAngle;
            if (ok) {
                ImagePoint p = target.project(ray);
                ImagePoint f = fisheye.model().project(ray);
                ok = target.contains(p.x(), p.y()) && fisheye.contains(f.x(), f.y());
                xy[2 * j] = p.x();
                xy[2 * j + 1] = p.y();
            }
            valid[j] = ok;
            if (ok) {
                count++;
            } else {
                xy[2 * j] = Double.NaN;
                xy[2 * j + 1] = Double.NaN;
            }
        }
        if (count < MIN_VALID_JOINTS || !(xyz[2] > 0)) {
            return HandAnnotation.NONE;
        }
        double[] kept = Arrays.copyOf(xyz, xyz.length);
        for (int j = 1; j < Joints3d.JOINTS; j++) {
            if (!valid[j]) {
                kept[3 * j] = Double.NaN;
                kept[3 * j + 1] = Double.NaN;
                kept[3 * j + 2] = Double.NaN;
            }
        }
        Keypoints2d keypoints = new Keypoints2d(xy);
        return new HandAnnotation(Optional.of(keypoints), Optional.of(new Joints3d(kept)), Optional.of(new JointMask(valid)),
                Optional.of(box(keypoints, valid)));
    }

    private HandBox box(Keypoints2d keypoints, boolean[] valid) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            if (valid[j]) {
                minX = Math.min(minX, keypoints.x(j));
                minY = Math.min(minY, keypoints.y(j));
                maxX = Math.max(maxX, keypoints.x(j));
                maxY = Math.max(maxY, keypoints.y(j));
            }
        }
        double right = target.width() - 1;
        double bottom = target.height() - 1;
        return new HandBox(Math.max(0, minX - BOX_PADDING), Math.max(0, minY - BOX_PADDING),
                Math.min(right, maxX + BOX_PADDING), Math.min(bottom, maxY + BOX_PADDING));
    }
}
