package dev.egopose.render;

import dev.egopose.domain.Joints3d;

/** The 20 bones of the benchmark's 21-joint hand, as (parent, child) joint pairs: each finger from the wrist. */
final class Skeleton {
    static final int[][] BONES = bones();

    private Skeleton() {}

    private static int[][] bones() {
        int[][] bones = new int[20][];
        int b = 0;
        for (int chain = 0; chain < 5; chain++) {
            int base = 1 + 4 * chain;
            bones[b++] = new int[] {0, base};
            for (int k = 0; k < 3; k++) {
                bones[b++] = new int[] {base + k, base + k + 1};
            }
        }
        return bones;
    }

    static boolean finite(Joints3d joints, int j) {
        return Double.isFinite(joints.get(j, 0)) && Double.isFinite(joints.get(j, 1)) && Double.isFinite(joints.get(j, 2));
    }

    /** The joints with the wrist moved to the origin. */
    static Joints3d wristRelative(Joints3d joints) {
        double[] xyz = joints.xyz();
        double wx = xyz[0];
        double wy = xyz[1];
        double wz = xyz[2];
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            xyz[3 * j] -= wx;
            xyz[3 * j + 1] -= wy;
            xyz[3 * j + 2] -= wz;
        }
        return new Joints3d(xyz);
    }

    static Joints3d translated(Joints3d joints, double x, double y, double z) {
        double[] xyz = joints.xyz();
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            xyz[3 * j] += x;
            xyz[3 * j + 1] += y;
            xyz[3 * j + 2] += z;
        }
        return new Joints3d(xyz);
    }
}
