package dev.egopose.egoexo;

import dev.egopose.domain.Joints3d;
import java.util.Arrays;

/**
 * 21 hand joints in pixels of the undistorted 512x512 image, x y per joint, in the benchmark's joint
 * order. A joint with no valid annotation is NaN. The array is copied in and out.
 */
public record Keypoints2d(double[] xy) {
    public static final int VALUES = Joints3d.JOINTS * 2;

    public Keypoints2d {
        if (xy == null || xy.length != VALUES) {
            throw new IllegalArgumentException(
                    "expected " + VALUES + " 2D coordinates, got " + (xy == null ? "none" : xy.length));
        }
        xy = xy.clone();
    }

    @Override
    public double[] xy() {
        return xy.clone();
    }

    public double x(int joint) {
        return xy[joint * 2];
    }

    public double y(int joint) {
        return xy[joint * 2 + 1];
    }

    /** Whether both coordinates of the joint are finite numbers. */
    public boolean isPresent(int joint) {
        return Double.isFinite(x(joint)) && Double.isFinite(y(joint));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Keypoints2d that && Arrays.equals(xy, that.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        return "Keypoints2d" + Arrays.toString(xy);
    }
}
