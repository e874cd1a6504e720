package dev.egopose.domain;

import java.util.Arrays;

/**
 * 21 hand joints, x y z each, in the benchmark's order (0 wrist, 1-4 thumb, 5-8 index, 9-12 middle,
 * 13-16 ring, 17-20 pinky). Units are whatever the producer says (metres for poses on the wire).
 * The array is copied in and out, so an instance never changes.
 */
public record Joints3d(double[] xyz) {
    public static final int JOINTS = 21;

    public Joints3d {
        if (xyz == null || xyz.length != JOINTS * 3) {
            throw new IllegalArgumentException(
                    "expected " + JOINTS * 3 + " joint coordinates, got " + (xyz == null ? "none" : xyz.length));
        }
        xyz = xyz.clone();
    }

    /** Builds joints from 21 rows of [x, y, z]. */
    public static Joints3d ofRows(double[][] rows) {
        if (rows.length != JOINTS) {
            throw new IllegalArgumentException("expected " + JOINTS + " joints, got " + rows.length);
        }
        double[] flat = new double[JOINTS * 3];
        for (int j = 0; j < JOINTS; j++) {
            if (rows[j].length != 3) {
                throw new IllegalArgumentException("joint " + j + " has " + rows[j].length + " coordinates, expected 3");
            }
            System.arraycopy(rows[j], 0, flat, j * 3, 3);
        }
        return new Joints3d(flat);
    }

    @Override
    public double[] xyz() {
        return xyz.clone();
    }

    public double get(int joint, int axis) {
        return xyz[joint * 3 + axis];
    }

    /** 21 rows of [x, y, z]. */
    public double[][] rows() {
        double[][] rows = new double[JOINTS][];
        for (int j = 0; j < JOINTS; j++) {
            rows[j] = Arrays.copyOfRange(xyz, j * 3, j * 3 + 3);
        }
        return rows;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Joints3d that && Arrays.equals(xyz, that.xyz);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xyz);
    }

    @Override
    public String toString() {
        return "Joints3d" + Arrays.toString(xyz);
    }
}
