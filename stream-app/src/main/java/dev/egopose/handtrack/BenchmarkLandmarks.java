package dev.egopose.handtrack;

import dev.egopose.domain.Joints3d;

/**
 * The benchmark's 21 joints (0 wrist; 1-4 thumb base..tip; 5-8 index; 9-12 middle; 13-16 ring;
 * 17-20 pinky) in MPS landmark order (0-4 fingertips, 5 wrist, 6-7 thumb intermediate and distal,
 * 8-19 proximal, intermediate, distal of index..pinky, 20 palm centre). MPS has no thumb base; its
 * palm centre, which the benchmark lacks, is taken as the mean of the wrist and the four finger
 * bases. Used to give synthetic takes MPS-style hand tracking with exact ground truth.
 */
public final class BenchmarkLandmarks {
    /** For each MPS landmark 0..19, the benchmark joint it is. */
    private static final int[] FROM_BENCHMARK = {4, 8, 12, 16, 20, 0, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19};

    private BenchmarkLandmarks() {}

    /** 63 values in MPS order, in the same frame as the joints. */
    public static double[] toMps(Joints3d joints) {
        double[] out = new double[3 * TrackedHand.LANDMARKS];
        for (int i = 0; i < FROM_BENCHMARK.length; i++) {
            for (int a = 0; a < 3; a++) {
                out[3 * i + a] = joints.get(FROM_BENCHMARK[i], a);
            }
        }
        for (int a = 0; a < 3; a++) {
            out[3 * TrackedHand.PALM + a] = (joints.get(0, a) + joints.get(5, a) + joints.get(9, a) + joints.get(13, a) + joints.get(17, a)) / 5;
        }
        return out;
    }
}
