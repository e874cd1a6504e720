package dev.egopose.synth;

/**
 * A capsule (all points within {@code radius} of the segment a-b; a sphere when a = b) with a surface
 * colour, in camera coordinates (metres). Rays start at the camera centre (the origin). Immutable.
 *
 * @param albedo linear RGB reflectance, each in [0, 1]
 */
public record Capsule(double ax, double ay, double az, double bx, double by, double bz, double radius, Albedo albedo) {
    /** A surface colour: linear RGB reflectance in [0, 1]. */
    public record Albedo(double r, double g, double b) {}

    public static Capsule of(double[] a, double[] b, double radius, Albedo albedo) {
        return new Capsule(a[0], a[1], a[2], b[0], b[1], b[2], radius, albedo);
    }

    public static Capsule sphere(double[] centre, double radius, Albedo albedo) {
        return of(centre, centre, radius, albedo);
    }

    /**
     * Distance along the unit ray {@code d} from the origin to the nearest surface point in front of the
     * camera, or {@code +Infinity} when the ray misses. The body is the infinite cylinder clipped to the
     * segment's slab; outside the slab the hit is on the cap sphere at that end.
     */
    public double intersect(double dx, double dy, double dz) {
        double bax = bx - ax;
        double bay = by - ay;
        double baz = bz - az;
        double oax = -ax;
        double oay = -ay;
        double oaz = -az;
        double baba = bax * bax + bay * bay + baz * baz;
        double bard = bax * dx + bay * dy + baz * dz;
        double baoa = bax * oax + bay * oay + baz * oaz;
        double rdoa = dx * oax + dy * oay + dz * oaz;
        double oaoa = oax * oax + oay * oay + oaz * oaz;
        double r2 = radius * radius;
        double a = baba - bard * bard;
        if (a > 1e-12 * baba && baba > 0) {
            double b = baba * rdoa - baoa * bard;
            double c = baba * oaoa - baoa * baoa - r2 * baba;
            double h = b * b - a * c;
            if (h < 0) {
                return Double.POSITIVE_INFINITY;
            }
            double t = (-b - Math.sqrt(h)) / a;
            double y = baoa + t * bard;
            if (y > 0 && y < baba) {
                return t > 0 ? t : Double.POSITIVE_INFINITY;
            }
            return y <= 0 ? sphere(dx, dy, dz, ax, ay, az, r2) : sphere(dx, dy, dz, bx, by, bz, r2);
        }
        // a point-like segment or a ray along the axis: the nearer of the two end spheres
        return Math.min(sphere(dx, dy, dz, ax, ay, az, r2), sphere(dx, dy, dz, bx, by, bz, r2));
    }

    private static double sphere(double dx, double dy, double dz, double cx, double cy, double cz, double r2) {
        double b = dx * cx + dy * cy + dz * cz;
        double c = cx * cx + cy * cy + cz * cz - r2;
        double h = b * b - c;
        if (h < 0) {
            return Double.POSITIVE_INFINITY;
        }
        double t = b - Math.sqrt(h);
        return t > 0 ? t : Double.POSITIVE_INFINITY;
    }

    /** The outward unit normal at surface point {@code p} into {@code out}. */
    public void normal(double px, double py, double pz, double[] out) {
        double bax = bx - ax;
        double bay = by - ay;
        double baz = bz - az;
        double baba = bax * bax + bay * bay + baz * baz;
        double s = baba > 0 ? ((px - ax) * bax + (py - ay) * bay + (pz - az) * baz) / baba : 0;
        s = Math.max(0, Math.min(1, s));
        double nx = px - (ax + s * bax);
        double ny = py - (ay + s * bay);
        double nz = pz - (az + s * baz);
        double n = Math.sqrt(nx * nx + ny * ny + nz * nz);
        out[0] = nx / n;
        out[1] = ny / n;
        out[2] = nz / n;
    }

    /** A sphere containing the capsule: centre x, y, z and radius. */
    public double[] boundingSphere() {
        double hx = (bx - ax) / 2;
        double hy = (by - ay) / 2;
        double hz = (bz - az) / 2;
        return new double[] {ax + hx, ay + hy, az + hz, Math.sqrt(hx * hx + hy * hy + hz * hz) + radius};
    }
}
