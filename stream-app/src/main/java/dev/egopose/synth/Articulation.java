package dev.egopose.synth;

/**
 * How a hand is bent: one flexion angle per chain (0 thumb, 1 index .. 4 pinky), in radians, applied at
 * each joint of the chain in proportions fixed by {@link HandSkeleton}; and a spread factor that widens
 * (positive) or narrows (negative) the fingers' splay.
 */
public record Articulation(double thumb, double index, double middle, double ring, double pinky, double spread) {
    /** Flexion of chain {@code chain} (0 thumb .. 4 pinky). */
    public double flexion(int chain) {
        return switch (chain) {
            case 0 -> thumb;
            case 1 -> index;
            case 2 -> middle;
            case 3 -> ring;
            case 4 -> pinky;
            default -> throw new IllegalArgumentException("chain must be 0..4, got " + chain);
        };
    }
}
