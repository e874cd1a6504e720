package dev.egopose.synth;

import dev.egopose.domain.HandSide;
import java.util.SplittableRandom;

/**
 * A hand's smooth motion over a take: wrist position, orientation and finger flexion are sinusoids of
 * time with periods of a few seconds and phases drawn from a seeded generator, so the same seed gives
 * the same motion. Parameters describe a right hand; the left hand's are mirrored (wrist x, yaw and
 * roll negated), which with the mirrored skeleton gives a proper left hand.
 */
public final class HandMotion {
    /** Frames per second of the generated takes (Ego-Exo4D's Aria rate). */
    public static final double FPS = 30;

    private final HandSide side;
    private final double[] base = new double[3];
    private final double[] amplitude = new double[3];
    private final double[] period = new double[3];
    private final double[] phase = new double[3];
    private final double[] angleBase = new double[3];
    private final double[] angleAmplitude = new double[3];
    private final double[] anglePeriod = new double[3];
    private final double[] anglePhase = new double[3];
    private final double[] flexBase = new double[5];
    private final double[] flexAmplitude = new double[5];
    private final double flexPeriod;
    private final double[] flexPhase = new double[5];
    private final double spreadPhase;

    /** Draws the motion of {@code side} from {@code random} (consumes a fixed number of draws). */
    public HandMotion(HandSide side, SplittableRandom random) {
        this.side = side;
        double[] centre = {0.09, 0.08, 0.28};
        double[] swing = {0.03, 0.025, 0.03};
        for (int a = 0; a < 3; a++) {
            base[a] = centre[a] + (random.nextDouble() - 0.5) * 0.03;
            amplitude[a] = swing[a] * (0.6 + 0.4 * random.nextDouble());
            period[a] = 2.5 + 2.5 * random.nextDouble();
            phase[a] = 2 * Math.PI * random.nextDouble();
        }
        // pitch (fingers up towards -y), yaw (fingers inwards), roll (about the fingers' axis)
        double[] angleCentre = {Math.toRadians(55), Math.toRadians(-25), Math.toRadians(10)};
        double[] angleSwing = {Math.toRadians(12), Math.toRadians(15), Math.toRadians(25)};
        for (int a = 0; a < 3; a++) {
            angleBase[a] = angleCentre[a] + (random.nextDouble() - 0.5) * Math.toRadians(10);
            angleAmplitude[a] = angleSwing[a] * (0.6 + 0.4 * random.nextDouble());
            anglePeriod[a] = 2.5 + 3 * random.nextDouble();
            anglePhase[a] = 2 * Math.PI * random.nextDouble();
        }
        for (int c = 0; c < 5; c++) {
            flexBase[c] = 0.12 + 0.15 * random.nextDouble();
            flexAmplitude[c] = 0.1 + 0.2 * random.nextDouble();
            flexPhase[c] = 2 * Math.PI * random.nextDouble();
        }
        flexPeriod = 1.5 + 2 * random.nextDouble();
        spreadPhase = 2 * Math.PI * random.nextDouble();
    }

    public HandSide side() {
        return side;
    }

    /** The hand's state at frame {@code frame}. */
    public HandState at(int frame) {
        double t = frame / FPS;
        double mirror = side == HandSide.RIGHT ? 1 : -1;
        double[] wrist = new double[3];
        for (int a = 0; a < 3; a++) {
            wrist[a] = base[a] + amplitude[a] * Math.sin(2 * Math.PI * t / period[a] + phase[a]);
        }
        wrist[0] *= mirror;
        double[] angle = new double[3];
        for (int a = 0; a < 3; a++) {
            angle[a] = angleBase[a] + angleAmplitude[a] * Math.sin(2 * Math.PI * t / anglePeriod[a] + anglePhase[a]);
        }
        double[] rotation = rotation(angle[0], mirror * angle[1], mirror * angle[2]);
        double[] flex = new double[5];
        for (int c = 0; c < 5; c++) {
            // each finger lags the previous a little, like a wave through the hand
            flex[c] = flexBase[c] + flexAmplitude[c] * Math.sin(2 * Math.PI * t / flexPeriod + flexPhase[c] * 0.3 + 0.5 * c);
        }
        double spread = 0.4 * Math.sin(2 * Math.PI * t / (flexPeriod * 1.7) + spreadPhase);
        return new HandState(side, wrist, rotation, new Articulation(flex[0], flex[1], flex[2], flex[3], flex[4], spread));
    }

    /** Row-major {@code Ry(yaw) Rx(pitch) Rz(roll)}: roll about the fingers' axis, then pitch up, then yaw. */
    static double[] rotation(double pitch, double yaw, double roll) {
        double[] rx = {1, 0, 0, 0, Math.cos(pitch), -Math.sin(pitch), 0, Math.sin(pitch), Math.cos(pitch)};
        double[] ry = {Math.cos(yaw), 0, Math.sin(yaw), 0, 1, 0, -Math.sin(yaw), 0, Math.cos(yaw)};
        double[] rz = {Math.cos(roll), -Math.sin(roll), 0, Math.sin(roll), Math.cos(roll), 0, 0, 0, 1};
        return multiply(ry, multiply(rx, rz));
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    sum += a[3 * r + i] * b[3 * i + k];
                }
                c[3 * r + k] = sum;
            }
        }
        return c;
    }
}
