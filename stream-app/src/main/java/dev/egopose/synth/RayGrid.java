package dev.egopose.synth;

import dev.egopose.camera.Fisheye624;
import dev.egopose.camera.ImagePoint;
import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.Ray;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMap;
import java.util.stream.IntStream;

/**
 * A camera's viewing ray for every pixel centre (unit vectors, camera frame), computed once and shared by
 * every frame rendered with that camera, together with the camera's projection for culling. A pixel
 * without a ray (outside the lens's field, or outside the benchmark's valid disc for the pinhole image)
 * has NaN and is rendered black. Immutable after construction; safe to share between threads.
 */
final class RayGrid {
    /** Projects a camera-frame point to pixels into {@code out}; false when it has no image. */
    interface Projector {
        boolean project(double x, double y, double z, double[] out);
    }

    private final int width;
    private final int height;
    private final float[] dirs;
    private final Projector projector;

    private RayGrid(int width, int height, float[] dirs, Projector projector) {
        this.width = width;
        this.height = height;
        this.dirs = dirs;
        this.projector = projector;
    }

    /** The distorted Aria frame: Fisheye624 unprojection of every pixel (in parallel over rows). */
    static RayGrid fisheye(RgbCalibration calibration) {
        Fisheye624 model = calibration.model();
        int w = calibration.width();
        int h = calibration.height();
        float[] dirs = new float[3 * w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            for (int x = 0; x < w; x++) {
                int o = 3 * (y * w + x);
                Ray ray;
                try {
                    ray = model.unproject(x, y);
                } catch (IllegalArgumentException e) {
                    dirs[o] = Float.NaN;
                    continue;
                }
                put(dirs, o, ray.x(), ray.y(), ray.z());
            }
        });
        Projector projector = (x, y, z, out) -> {
            if (!(z > 1e-3)) {
                return false;
            }
            ImagePoint p = model.project(x, y, z);
            out[0] = p.x();
            out[1] = p.y();
            return Double.isFinite(p.x()) && Double.isFinite(p.y());
        };
        return new RayGrid(w, h, dirs, projector);
    }

    /**
     * The benchmark's undistorted image: pinhole rays, kept only where {@code validity} says the target
     * pixel receives image content (inside the 1.0 rad cone and the fisheye frame).
     */
    static RayGrid pinhole(PinholeCamera camera, UndistortionMap validity) {
        int w = camera.width();
        int h = camera.height();
        float[] dirs = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = 3 * (y * w + x);
                if (!validity.isValid(x, y)) {
                    dirs[o] = Float.NaN;
                    continue;
                }
                Ray ray = camera.unproject(x, y);
                put(dirs, o, ray.x(), ray.y(), ray.z());
            }
        }
        Projector projector = (x, y, z, out) -> {
            if (!(z > 1e-3)) {
                return false;
            }
            ImagePoint p = camera.project(new Ray(x, y, z));
            out[0] = p.x();
            out[1] = p.y();
            return true;
        };
        return new RayGrid(w, h, dirs, projector);
    }

    private static void put(float[] dirs, int o, double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        dirs[o] = (float) (x / n);
        dirs[o + 1] = (float) (y / n);
        dirs[o + 2] = (float) (z / n);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Whether pixel {@code i} (row-major) has a ray. */
    boolean hasRay(int i) {
        return !Float.isNaN(dirs[3 * i]);
    }

    float dx(int i) {
        return dirs[3 * i];
    }

    float dy(int i) {
        return dirs[3 * i + 1];
    }

    float dz(int i) {
        return dirs[3 * i + 2];
    }

    boolean project(double x, double y, double z, double[] out) {
        return projector.project(x, y, z, out);
    }

    /**
     * The pixel rectangle {@code [x0, y0, x1, y1]} (inclusive, clipped) that holds the image of a sphere,
     * or null when the sphere is wholly outside the image. The rays that meet the sphere form a cone
     * around its centre; the image of the cone's rim, sampled densely and padded, bounds the image of
     * the cone. When the rim cannot be projected (behind the camera), the whole image.
     */
    int[] bounds(double cx, double cy, double cz, double radius) {
        double dist = Math.sqrt(cx * cx + cy * cy + cz * cz);
        int[] whole = {0, 0, width - 1, height - 1};
        if (dist <= radius * 1.01) {
            return whole;
        }
        double[] axis = {cx / dist, cy / dist, cz / dist};
        double[] e1 = Math.abs(axis[0]) < 0.9 ? cross(axis, new double[] {1, 0, 0}) : cross(axis, new double[] {0, 1, 0});
        double[] e2 = cross(axis, e1);
        double half = Math.asin(Math.min(1, radius / dist)) * 1.02 + 1e-4;
        double cos = Math.cos(half);
        double sin = Math.sin(half);
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        double[] p = new double[2];
        int samples = 48;
        for (int k = 0; k < samples; k++) {
            double phi = 2 * Math.PI * k / samples;
            double c = Math.cos(phi) * sin;
            double s = Math.sin(phi) * sin;
            double x = cos * axis[0] + c * e1[0] + s * e2[0];
            double y = cos * axis[1] + c * e1[1] + s * e2[1];
            double z = cos * axis[2] + c * e1[2] + s * e2[2];
            if (!project(x, y, z, p)) {
                return whole;
            }
            minX = Math.min(minX, p[0]);
            minY = Math.min(minY, p[1]);
            maxX = Math.max(maxX, p[0]);
            maxY = Math.max(maxY, p[1]);
        }
        double pad = 2 + 0.01 * Math.max(maxX - minX, maxY - minY);
        int x0 = (int) Math.max(0, Math.floor(minX - pad));
        int y0 = (int) Math.max(0, Math.floor(minY - pad));
        int x1 = (int) Math.min(width - 1, Math.ceil(maxX + pad));
        int y1 = (int) Math.min(height - 1, Math.ceil(maxY + pad));
        if (x0 > x1 || y0 > y1) {
            return null;
        }
        return new int[] {x0, y0, x1, y1};
    }

    private static double[] cross(double[] a, double[] b) {
        double x = a[1] * b[2] - a[2] * b[1];
        double y = a[2] * b[0] - a[0] * b[2];
        double z = a[0] * b[1] - a[1] * b[0];
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }
}
