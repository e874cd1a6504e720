package dev.egopose.eval;

import java.util.Collection;

/** Unweighted means over hand instances, in millimetres; NaN when {@code hands} is 0. */
public record Score(int hands, double mpjpeMm, double paMpjpeMm) {
    /** The benchmark's final score over these hands: each hand instance counts once. */
    public static Score of(Collection<HandError> errors) {
        double mpjpe = 0;
        double pa = 0;
        for (HandError e : errors) {
            mpjpe += e.mpjpeMm();
            pa += e.paMpjpeMm();
        }
        int n = errors.size();
        return n == 0 ? new Score(0, Double.NaN, Double.NaN) : new Score(n, mpjpe / n, pa / n);
    }
}
