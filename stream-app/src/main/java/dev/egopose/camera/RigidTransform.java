package dev.egopose.camera;

import java.util.Arrays;

/**
 * A rigid transform {@code p_out = R p_in + t}, as projectaria writes a camera's
 * {@code T_Device_Camera}: rotation as a unit quaternion (w, x, y, z), translation in metres.
 *
 * @param rotation    w, x, y, z (normalised on construction)
 * @param translation x, y, z
 */
public record RigidTransform(double[] rotation, double[] translation) {
    public RigidTransform {
        if (rotation.length != 4 || translation.length != 3) {
            throw new IllegalArgumentException("a rigid transform needs a quaternion (w, x, y, z) and a translation (x, y, z), got "
                    + rotation.length + " and " + translation.length + " values");
        }
        double norm = Math.sqrt(Arrays.stream(rotation).map(v -> v * v).sum());
        if (!Double.isFinite(norm) || norm < 1e-9 || Arrays.stream(translation).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("a rigid transform needs a finite, non-zero quaternion and a finite translation, got "
                    + Arrays.toString(rotation) + " " + Arrays.toString(translation));
        }
        rotation = Arrays.stream(rotation).map(v -> v / norm).toArray();
        translation = translation.clone();
    }

    @Override
    public double[] rotation() {
        return rotation.clone();
    }

    @Override
    public double[] translation() {
        return translation.clone();
    }

    /** R as a row-major 3x3 matrix. */
    public double[] matrix() {
        double w = rotation[0];
        double x = rotation[1];
        double y = rotation[2];
        double z = rotation[3];
        return new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        };
    }

    /** {@code R p + t}. */
    public double[] apply(double[] p) {
        double[] r = matrix();
        return new double[] {
            r[0] * p[0] + r[1] * p[1] + r[2] * p[2] + translation[0],
            r[3] * p[0] + r[4] * p[1] + r[5] * p[2] + translation[1],
            r[6] * p[0] + r[7] * p[1] + r[8] * p[2] + translation[2],
        };
    }

    /** The inverse map, {@code R^T (p - t)}: for {@code T_Device_Camera}, a device-frame point in camera coordinates. */
    public double[] applyInverse(double[] p) {
        double[] r = matrix();
        double dx = p[0] - translation[0];
        double dy = p[1] - translation[1];
        double dz = p[2] - translation[2];
        return new double[] {
            r[0] * dx + r[3] * dy + r[6] * dz,
            r[1] * dx + r[4] * dy + r[7] * dz,
            r[2] * dx + r[5] * dy + r[8] * dz,
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RigidTransform t && Arrays.equals(rotation, t.rotation) && Arrays.equals(translation, t.translation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rotation) + Arrays.hashCode(translation);
    }

    @Override
    public String toString() {
        return "RigidTransform[q=" + Arrays.toString(rotation) + ", t=" + Arrays.toString(translation) + "]";
    }
}
