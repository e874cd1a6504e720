package dev.egopose.synth;

import java.util.SplittableRandom;

/**
 * The static scene behind the hands, as a colour per viewing direction: a table top 0.45 m below the
 * camera and a tiled wall 2.2 m in front of it, each with a smooth procedural texture (soft checks,
 * grain, tinted tiles). Because the colour depends only on the ray, the fisheye frame and the pinhole
 * image show the same scene. Patterns are kept smooth (fine grain fades with distance) so that point
 * sampling in either camera does not alias. Colours stay bluish, greenish or grey (red never dominates),
 * so they are never mistaken for skin. Immutable.
 */
final class Backdrop {
    private static final double TABLE_Y = 0.45;
    private static final double WALL_Z = 2.2;
    private static final double TILE = 0.3;

    private final double[] table;
    private final double[] wall;
    private final double tilePhaseX;
    private final double tilePhaseY;
    private final long tileSeed;

    Backdrop(SplittableRandom random) {
        table = new double[] {0.32 + 0.06 * random.nextDouble(), 0.40 + 0.06 * random.nextDouble(), 0.52 + 0.08 * random.nextDouble()};
        double grey = 0.45 + 0.1 * random.nextDouble();
        wall = new double[] {grey * 0.9, grey * 1.05, grey};
        tilePhaseX = random.nextDouble() * TILE;
        tilePhaseY = random.nextDouble() * TILE;
        tileSeed = random.nextLong();
    }

    /** The linear RGB colour seen along unit direction {@code d}, into {@code out}. */
    void colour(double dx, double dy, double dz, double[] out) {
        if (dy > 1e-6) {
            double t = TABLE_Y / dy;
            double z = t * dz;
            if (z > 0 && z < WALL_Z) {
                tableColour(t * dx, z, t, out);
                return;
            }
        }
        if (dz > 1e-6) {
            double t = WALL_Z / dz;
            wallColour(t * dx, t * dy, t, out);
            return;
        }
        out[0] = 0.12;
        out[1] = 0.13;
        out[2] = 0.16;
    }

    private void tableColour(double x, double z, double distance, double[] out) {
        // soft 10 cm checks, and a grain that fades out where it would be finer than a pixel or two
        double check = Math.tanh(2.5 * Math.sin(2 * Math.PI * x / 0.2) * Math.sin(2 * Math.PI * z / 0.2));
        double fade = Math.max(0, 1 - distance / 1.2);
        double grain = fade * Math.sin(2 * Math.PI * (x * 0.35 + z) / 0.035 + 2 * Math.sin(2 * Math.PI * x / 0.3));
        double shade = (1 + 0.16 * check + 0.06 * grain) * (0.8 + 0.2 * Math.exp(-distance / 1.5));
        for (int c = 0; c < 3; c++) {
            out[c] = table[c] * shade;
        }
    }

    private void wallColour(double x, double y, double distance, double[] out) {
        double u = (x + tilePhaseX) / TILE;
        double v = (y + tilePhaseY) / TILE;
        long iu = (long) Math.floor(u);
        long iv = (long) Math.floor(v);
        // each tile has its own tint; the tint blends smoothly into the neighbours over the outer 15% of a tile
        double fu = u - iu;
        double fv = v - iv;
        double wu = smooth((fu - 0.85) / 0.3 + 0.5);
        double wv = smooth((fv - 0.85) / 0.3 + 0.5);
        double wu0 = smooth((0.15 - fu) / 0.3 + 0.5);
        double wv0 = smooth((0.15 - fv) / 0.3 + 0.5);
        double tint = 0;
        double weight = 0;
        for (int du = -1; du <= 1; du++) {
            double a = du == -1 ? wu0 * 0.5 : du == 1 ? wu * 0.5 : 1 - 0.5 * (wu + wu0);
            for (int dv = -1; dv <= 1; dv++) {
                double b = dv == -1 ? wv0 * 0.5 : dv == 1 ? wv * 0.5 : 1 - 0.5 * (wv + wv0);
                tint += a * b * tileTint(iu + du, iv + dv);
                weight += a * b;
            }
        }
        tint /= weight;
        double ripple = 0.05 * Math.sin(2 * Math.PI * (x + 0.5 * y) / 0.4);
        double shade = (0.85 + 0.3 * tint + ripple) * (0.9 + 0.1 * Math.exp(-distance / 3));
        out[0] = wall[0] * shade;
        out[1] = wall[1] * shade * (1 + 0.08 * tint);
        out[2] = wall[2] * shade * (1 + 0.12 * (1 - tint));
    }

    private double tileTint(long iu, long iv) {
        long h = tileSeed ^ (iu * 0x9E3779B97F4A7C15L) ^ (iv * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    private static double smooth(double x) {
        double t = Math.max(0, Math.min(1, x));
        return t * t * (3 - 2 * t);
    }
}
