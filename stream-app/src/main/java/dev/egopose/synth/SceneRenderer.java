package dev.egopose.synth;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Ray-casts capsules in front of a {@link Backdrop} for one camera, into 8-bit BGR pixels (OpenCV's
 * order). The backdrop is rendered once (it does not move); each frame starts from a copy of it and only
 * the pixels inside the projected bounds of some capsule are cast against the capsules whose bounds hold
 * them, keeping the nearest hit. Pixels without a ray are black. Deterministic; one instance may render
 * frames on several threads at once.
 */
final class SceneRenderer {
    /** Direction towards the key light (up, slightly right, towards the camera), unit. */
    private static final double[] LIGHT = HandSkeleton.normalize(0.3, -0.8, -0.5);
    private static final double AMBIENT = 0.3;
    private static final double KEY = 0.4;
    private static final double HEADLIGHT = 0.38;

    private final RayGrid rays;
    private final byte[] background;

    SceneRenderer(RayGrid rays, Backdrop backdrop) {
        this.rays = rays;
        int w = rays.width();
        int h = rays.height();
        byte[] bgr = new byte[3 * w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            double[] colour = new double[3];
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!rays.hasRay(i)) {
                    continue;
                }
                backdrop.colour(rays.dx(i), rays.dy(i), rays.dz(i), colour);
                store(bgr, i, colour[0], colour[1], colour[2]);
            }
        });
        this.background = bgr;
    }

    int width() {
        return rays.width();
    }

    int height() {
        return rays.height();
    }

    /** A new {@code width x height x 3} BGR image of {@code capsules} in front of the backdrop. */
    byte[] render(List<Capsule> capsules) {
        byte[] image = Arrays.copyOf(background, background.length);
        int n = capsules.size();
        int[][] bounds = new int[n][];
        // each capsule's bounding cone (unit axis, cosine of the half angle) rejects most rays cheaply
        double[] cone = new double[4 * n];
        int ux0 = Integer.MAX_VALUE;
        int uy0 = Integer.MAX_VALUE;
        int ux1 = -1;
        int uy1 = -1;
        for (int k = 0; k < n; k++) {
            double[] s = capsules.get(k).boundingSphere();
            bounds[k] = rays.bounds(s[0], s[1], s[2], s[3]);
            double dist = Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
            cone[4 * k] = s[0] / dist;
            cone[4 * k + 1] = s[1] / dist;
            cone[4 * k + 2] = s[2] / dist;
            cone[4 * k + 3] = dist > s[3] ? Math.cos(Math.min(Math.PI / 2, Math.asin(s[3] / dist) * 1.01 + 1e-4)) : -1;
            if (bounds[k] != null) {
                ux0 = Math.min(ux0, bounds[k][0]);
                uy0 = Math.min(uy0, bounds[k][1]);
                ux1 = Math.max(ux1, bounds[k][2]);
                uy1 = Math.max(uy1, bounds[k][3]);
            }
        }
        if (ux1 < 0) {
            return image;
        }
        int w = rays.width();
        int regionW = ux1 - ux0 + 1;
        int regionH = uy1 - uy0 + 1;
        float[] depth = new float[regionW * regionH];
        Arrays.fill(depth, Float.POSITIVE_INFINITY);
        short[] hit = new short[regionW * regionH];
        Arrays.fill(hit, (short) -1);
        for (int k = 0; k < n; k++) {
            int[] b = bounds[k];
            if (b == null) {
                continue;
            }
            Capsule capsule = capsules.get(k);
            for (int y = b[1]; y <= b[3]; y++) {
                for (int x = b[0]; x <= b[2]; x++) {
                    int i = y * w + x;
                    if (!rays.hasRay(i)) {
                        continue;
                    }
                    double dx = rays.dx(i);
                    double dy = rays.dy(i);
                    double dz = rays.dz(i);
                    if (dx * cone[4 * k] + dy * cone[4 * k + 1] + dz * cone[4 * k + 2] < cone[4 * k + 3]) {
                        continue;
                    }
                    double t = capsule.intersect(dx, dy, dz);
                    int r = (y - uy0) * regionW + (x - ux0);
                    if (t < depth[r]) {
                        depth[r] = (float) t;
                        hit[r] = (short) k;
                    }
                }
            }
        }
        double[] normal = new double[3];
        for (int y = uy0; y <= uy1; y++) {
            for (int x = ux0; x <= ux1; x++) {
                int r = (y - uy0) * regionW + (x - ux0);
                if (hit[r] < 0) {
                    continue;
                }
                int i = y * w + x;
                double dx = rays.dx(i);
                double dy = rays.dy(i);
                double dz = rays.dz(i);
                Capsule capsule = capsules.get(hit[r]);
                double t = capsule.intersect(dx, dy, dz);
                capsule.normal(t * dx, t * dy, t * dz, normal);
                double key = Math.max(0, normal[0] * LIGHT[0] + normal[1] * LIGHT[1] + normal[2] * LIGHT[2]);
                double head = Math.max(0, -(normal[0] * dx + normal[1] * dy + normal[2] * dz));
                double shade = AMBIENT + KEY * key + HEADLIGHT * head;
                Capsule.Albedo a = capsule.albedo();
                store(image, i, a.r() * shade, a.g() * shade, a.b() * shade);
            }
        }
        return image;
    }

    private static void store(byte[] bgr, int i, double r, double g, double b) {
        bgr[3 * i] = toByte(b);
        bgr[3 * i + 1] = toByte(g);
        bgr[3 * i + 2] = toByte(r);
    }

    private static byte toByte(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v * 255)));
    }
}
