package dev.egopose.synth;

import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;

/**
 * A parametric 21-joint hand (0 wrist, 1-4 thumb base..tip, 5-8 index, 9-12 middle, 13-16 ring,
 * 17-20 pinky) with bone lengths taken from the benchmark's joint_mean table (REFERENCE section 3:
 * typical wrist-relative joint positions, so the lengths are distances between consecutive mean
 * joints). Posed by finger flexion and placed by a wrist position and a rotation; the left hand is the
 * mirror image of the right one (x negated in the camera frame).
 *
 * <p>Hand-local axes: {@code s} across the palm towards the thumb, {@code n} out of the palm (palmar
 * side), {@code f} from the wrist towards the fingers. For the right hand the local frame maps to the
 * camera frame (x right, y down, z forward) as s = -x, n = +y, f = +z before the hand's rotation, i.e. a
 * right hand held palm down with fingers pointing away from the camera.
 */
public final class HandSkeleton {
    /** Wrist-relative joint means in mm (REFERENCE section 3). */
    private static final double[][] JOINT_MEAN_MM = {
        {0, 0, 0},
        {-3.9501650, -0.86685377, 24.517984}, {-13.187613, 1.2967486, 47.673504},
        {-22.936522, 1.5275195, 72.566208}, {-31.109295, 1.9404153, 95.952751},
        {-48.375599, 4.6012049, 67.085617}, {-59.843365, 5.9568534, 93.948418},
        {-57.148232, 5.7935758, 110.97713}, {-51.052166, 4.9937048, 125.02338},
        {-51.586624, 2.5471370, 72.120811}, {-65.926834, 3.0671554, 98.404510},
        {-61.979191, 2.8341565, 116.10429}, {-54.618130, 2.5274558, 129.17862},
        {-46.503471, 0.33559692, 73.062035}, {-59.186893, 0.026649246, 96.192421},
        {-56.693432, -0.084625520, 112.05978}, {-51.260197, 0.034378145, 123.81713},
        {-35.775276, -1.0368422, 70.583588}, {-43.695080, -1.9620019, 88.694397},
        {-44.897186, -2.6101866, 101.19468}, {-44.571526, -3.3564034, 111.80748},
    };
    /** Where each finger's base joint sits on the palm, as an angle from f towards s (radians): index..pinky. */
    private static final double[] KNUCKLE_ANGLE = {Math.toRadians(14), Math.toRadians(3), Math.toRadians(-8), Math.toRadians(-19)};
    /** How far each finger points away from f at rest (radians): index..pinky splay outwards a little. */
    private static final double[] FINGER_SPLAY = {Math.toRadians(8), Math.toRadians(1), Math.toRadians(-7), Math.toRadians(-15)};
    /** Thumb base direction and the direction it curls towards, in local (s, n, f). */
    private static final double[] THUMB_BASE = normalize(0.62, 0.25, 0.74);
    private static final double[] THUMB_AXIS = normalize(0.72, 0.32, 0.62);
    private static final double[] THUMB_CURL = normalize(-0.75, 0.6, 0.1);

    /** Bone lengths in metres: {@code [chain][0]} wrist to base joint, then the three bones; chain 0 = thumb. */
    private final double[][] lengths = new double[5][4];

    public HandSkeleton() {
        for (int chain = 0; chain < 5; chain++) {
            int base = 1 + 4 * chain;
            lengths[chain][0] = distanceMm(0, base) / 1000;
            for (int b = 1; b < 4; b++) {
                lengths[chain][b] = distanceMm(base + b - 1, base + b) / 1000;
            }
        }
    }

    private static double distanceMm(int a, int b) {
        double dx = JOINT_MEAN_MM[a][0] - JOINT_MEAN_MM[b][0];
        double dy = JOINT_MEAN_MM[a][1] - JOINT_MEAN_MM[b][1];
        double dz = JOINT_MEAN_MM[a][2] - JOINT_MEAN_MM[b][2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** Length in metres of bone {@code b} (0 = wrist to base joint) of {@code chain} (0 thumb, 1 index .. 4 pinky). */
    public double boneLength(int chain, int b) {
        return lengths[chain][b];
    }

    /**
     * The 21 joints in hand-local coordinates (s, n, f), metres, of a right hand with the given
     * articulation.
     */
    public double[][] local(Articulation pose) {
        double[][] joints = new double[Joints3d.JOINTS][];
        joints[0] = new double[] {0, 0, 0};
        // thumb: base joint out from the wrist, then three bones curling across the palm
        double[] thumbBase = scale(THUMB_BASE, lengths[0][0]);
        joints[1] = thumbBase;
        double[] axis = THUMB_AXIS;
        double[] curl = orthogonalPart(THUMB_CURL, axis);
        double angle = 0;
        for (int b = 1; b < 4; b++) {
            angle += pose.flexion(0) * (b == 1 ? 0.5 : 1.0);
            double[] dir = add(scale(axis, Math.cos(angle)), scale(curl, Math.sin(angle)));
            joints[1 + b] = add(joints[b], scale(dir, lengths[0][b]));
        }
        for (int finger = 1; finger < 5; finger++) {
            int base = 1 + 4 * finger;
            double knuckle = KNUCKLE_ANGLE[finger - 1];
            joints[base] = new double[] {Math.sin(knuckle) * lengths[finger][0], 0, Math.cos(knuckle) * lengths[finger][0]};
            double splay = FINGER_SPLAY[finger - 1] * (1 + pose.spread());
            double[] dir0 = {Math.sin(splay), 0, Math.cos(splay)};
            double[] palmar = {0, 1, 0};
            double flex = pose.flexion(finger);
            // MCP, PIP and DIP bend together, as in a grasp; DIP follows PIP
            double[] jointAngles = {flex, 1.25 * flex, 0.8 * flex};
            double bend = 0;
            for (int b = 1; b < 4; b++) {
                bend += jointAngles[b - 1];
                double[] dir = add(scale(dir0, Math.cos(bend)), scale(palmar, Math.sin(bend)));
                joints[base + b] = add(joints[base + b - 1], scale(dir, lengths[finger][b]));
            }
        }
        return joints;
    }

    /**
     * The joints in the camera frame: {@code wrist + R * basis(local)}, where the basis maps local (s, n, f)
     * to camera (-x, y, z) for the right hand; the left hand is the mirror image (x negated everywhere).
     * {@code rotation} is row-major 3x3 and describes the right hand; the left hand's rotation and wrist
     * are given already mirrored by the caller.
     */
    public Joints3d place(double[][] local, HandSide side, double[] wrist, double[] rotation) {
        double sx = side == HandSide.RIGHT ? -1 : 1;
        double[] xyz = new double[Joints3d.JOINTS * 3];
        for (int j = 0; j < Joints3d.JOINTS; j++) {
            double x = sx * local[j][0];
            double y = local[j][1];
            double z = local[j][2];
            for (int r = 0; r < 3; r++) {
                xyz[j * 3 + r] = wrist[r] + rotation[3 * r] * x + rotation[3 * r + 1] * y + rotation[3 * r + 2] * z;
            }
        }
        return new Joints3d(xyz);
    }

    static double[] normalize(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    private static double[] scale(double[] v, double s) {
        return new double[] {v[0] * s, v[1] * s, v[2] * s};
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static double[] orthogonalPart(double[] v, double[] unitAxis) {
        double d = v[0] * unitAxis[0] + v[1] * unitAxis[1] + v[2] * unitAxis[2];
        double[] o = {v[0] - d * unitAxis[0], v[1] - d * unitAxis[1], v[2] - d * unitAxis[2]};
        return normalize(o[0], o[1], o[2]);
    }
}
