package dev.egopose.synth;

import dev.egopose.domain.Joints3d;
import java.util.ArrayList;
import java.util.List;

/**
 * The solid a renderer draws for a posed hand: tapered fingers (one capsule per bone, thinner towards the
 * tip, with a slightly wider sphere at each joint), a palm filled by thick capsules fanning from the
 * wrist to the knuckles, nails at the fingertips, and a sleeved forearm behind the wrist. Radii are in
 * metres, scaled to the skeleton's (table-derived) size.
 */
public final class HandBody {
    /** Joint radii (m) by position in a chain: base, two middle joints, tip. Index..pinky scale below. */
    private static final double[] FINGER_RADII = {0.0085, 0.0072, 0.0064, 0.0057};
    private static final double[] FINGER_SCALE = {1.0, 1.04, 0.97, 0.86};
    private static final double[] THUMB_RADII = {0.0115, 0.0095, 0.0085, 0.0077};
    private static final double WRIST_RADIUS = 0.017;
    private static final double PALM_RADIUS = 0.0105;
    private static final double FOREARM_RADIUS = 0.024;
    private static final double FOREARM_LENGTH = 0.2;

    private final Capsule.Albedo skin;
    private final Capsule.Albedo knuckle;
    private final Capsule.Albedo nail;
    private final Capsule.Albedo sleeve;

    public HandBody(Capsule.Albedo skin, Capsule.Albedo sleeve) {
        this.skin = skin;
        this.knuckle = new Capsule.Albedo(skin.r() * 0.97, skin.g() * 0.88, skin.b() * 0.88);
        this.nail = new Capsule.Albedo(Math.min(1, skin.r() * 1.08), Math.min(1, skin.g() * 1.12), Math.min(1, skin.b() * 1.25));
        this.sleeve = sleeve;
    }

    /**
     * The capsules of a hand with joints {@code joints} (camera frame, metres). {@code forward} is the
     * hand's local f axis in the camera frame (the forearm points the other way from the wrist) and
     * {@code back} its back-of-hand direction (minus the local n axis), both unit.
     */
    public List<Capsule> capsules(Joints3d joints, double[] forward, double[] back) {
        double[][] p = joints.rows();
        List<Capsule> out = new ArrayList<>(64);
        // forearm and wrist
        double[] elbow = {p[0][0] - FOREARM_LENGTH * forward[0], p[0][1] - FOREARM_LENGTH * forward[1], p[0][2] - FOREARM_LENGTH * forward[2]};
        double[] cuff = {p[0][0] - 0.035 * forward[0], p[0][1] - 0.035 * forward[1], p[0][2] - 0.035 * forward[2]};
        out.add(Capsule.of(cuff, elbow, FOREARM_RADIUS, sleeve));
        out.add(Capsule.of(p[0], cuff, WRIST_RADIUS * 0.95, skin));
        out.add(Capsule.sphere(p[0], WRIST_RADIUS, skin));
        // palm: wrist to each knuckle and to the thumb base, knuckle to knuckle, plus a filler down the middle
        for (int finger = 1; finger < 5; finger++) {
            out.add(Capsule.of(p[0], p[1 + 4 * finger], PALM_RADIUS, skin));
        }
        out.add(Capsule.of(p[0], p[1], THUMB_RADII[0], skin));
        for (int finger = 1; finger < 4; finger++) {
            out.add(Capsule.of(p[1 + 4 * finger], p[1 + 4 * (finger + 1)], PALM_RADIUS * 0.9, skin));
        }
        double[] palmCentre = midpoint(p[0], midpoint(p[9], p[13]));
        out.add(Capsule.of(midpoint(p[0], p[5]), midpoint(p[0], p[17]), PALM_RADIUS * 1.3, skin));
        out.add(Capsule.of(palmCentre, midpoint(p[5], p[17]), PALM_RADIUS * 1.3, skin));
        out.add(Capsule.of(p[1], midpoint(p[0], p[5]), THUMB_RADII[0] * 0.9, skin));
        // fingers and thumb
        for (int chain = 0; chain < 5; chain++) {
            double[] radii = new double[4];
            for (int k = 0; k < 4; k++) {
                radii[k] = chain == 0 ? THUMB_RADII[k] : FINGER_RADII[k] * FINGER_SCALE[chain - 1];
            }
            int base = 1 + 4 * chain;
            for (int k = 0; k < 4; k++) {
                Capsule.Albedo colour = k == 3 ? skin : knuckle;
                out.add(Capsule.sphere(p[base + k], radii[k] * (k == 3 ? 1.0 : 1.08), colour));
                if (k < 3) {
                    out.add(Capsule.of(p[base + k], p[base + k + 1], (radii[k] + radii[k + 1]) / 2 * 0.95, skin));
                }
            }
            // nail: a small flattened cap on the back of the tip (opposite the palmar side)
            double[] tip = p[base + 3];
            double[] dip = p[base + 2];
            double[] along = unit(tip[0] - dip[0], tip[1] - dip[1], tip[2] - dip[2]);
            double[] nailUp = backOfHand(back, along);
            double r = radii[3];
            double[] nailA = {tip[0] + nailUp[0] * r * 0.55 - along[0] * r * 0.9, tip[1] + nailUp[1] * r * 0.55 - along[1] * r * 0.9,
                tip[2] + nailUp[2] * r * 0.55 - along[2] * r * 0.9};
            double[] nailB = {tip[0] + nailUp[0] * r * 0.55 + along[0] * r * 0.1, tip[1] + nailUp[1] * r * 0.55 + along[1] * r * 0.1,
                tip[2] + nailUp[2] * r * 0.55 + along[2] * r * 0.1};
            out.add(Capsule.of(nailA, nailB, r * 0.5, nail));
        }
        return out;
    }

    /** {@code back} made orthogonal to the unit direction {@code along}. */
    private static double[] backOfHand(double[] back, double[] along) {
        double d = back[0] * along[0] + back[1] * along[1] + back[2] * along[2];
        return unit(back[0] - d * along[0], back[1] - d * along[1], back[2] - d * along[2]);
    }

    private static double[] midpoint(double[] a, double[] b) {
        return new double[] {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2};
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return n > 0 ? new double[] {x / n, y / n, z / n} : new double[] {0, 0, 1};
    }
}
