package dev.egopose.camera;

/**
 * A distortion-free camera with square pixels. {@link #BENCHMARK} is the undistorted camera of the
 * Ego-Exo4D hand pose benchmark: 512x512, f = 150, principal point at the image centre (255.5, 255.5).
 */
public record PinholeCamera(int width, int height, double focal, double cx, double cy) {
    public static final PinholeCamera BENCHMARK = new PinholeCamera(512, 512, 150, 255.5, 255.5);

    public PinholeCamera {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("pinhole size must be positive, got " + width + "x" + height);
        }
        if (!(focal > 0) || !Double.isFinite(focal) || !Double.isFinite(cx) || !Double.isFinite(cy)) {
            throw new IllegalArgumentException("pinhole needs a positive focal length and a finite principal point, got f="
                    + focal + " c=(" + cx + ", " + cy + ")");
        }
    }

    /** The ray through pixel {@code (x, y)}, with {@code z = 1}. */
    public Ray unproject(double x, double y) {
        return new Ray((x - cx) / focal, (y - cy) / focal, 1);
    }

    /** Projects a point with {@code z > 0}. */
    public ImagePoint project(Ray ray) {
        if (!(ray.z() > 0)) {
            throw new IllegalArgumentException("cannot project a ray with z <= 0: " + ray);
        }
        return new ImagePoint(focal * ray.x() / ray.z() + cx, focal * ray.y() / ray.z() + cy);
    }

    /** Whether {@code (x, y)} lies in {@code [0, width-1] x [0, height-1]}. */
    public boolean contains(double x, double y) {
        return x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
    }
}
