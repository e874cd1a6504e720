package dev.egopose.camera;

import java.util.Arrays;

/**
 * The Aria RGB camera model FisheyeRadTanThinPrism ("Fisheye624") with one focal length: 15 parameters
 * {@code [f, cu, cv, k0..k5, p0, p1, s0..s3]} in projectaria's order. Projection and the Newton
 * unprojection follow projectaria_tools (see REFERENCE section 4). Immutable; the parameter array is
 * copied in and out.
 */
public record Fisheye624(double[] params) {
    public static final int PARAM_COUNT = 15;
    private static final int MAX_NEWTON_STEPS = 50;

    public Fisheye624 {
        if (params == null || params.length != PARAM_COUNT) {
            throw new CalibrationException("Fisheye624 needs " + PARAM_COUNT + " parameters [f, cu, cv, k0..k5, p0, p1, s0..s3], got "
                    + (params == null ? "none" : params.length));
        }
        for (int i = 0; i < PARAM_COUNT; i++) {
            if (!Double.isFinite(params[i])) {
                throw new CalibrationException("Fisheye624 parameter " + i + " (" + paramName(i) + ") is not finite: " + params[i]);
            }
        }
        if (params[0] <= 0) {
            throw new CalibrationException("Fisheye624 focal length must be positive, got " + params[0]);
        }
        params = params.clone();
    }

    /** The name of parameter {@code i} in projectaria's order. */
    public static String paramName(int i) {
        if (i == 0) return "f";
        if (i == 1) return "cu";
        if (i == 2) return "cv";
        if (i < 9) return "k" + (i - 3);
        if (i < 11) return "p" + (i - 9);
        return "s" + (i - 11);
    }

    @Override
    public double[] params() {
        return params.clone();
    }

    public double focal() {
        return params[0];
    }

    public double cu() {
        return params[1];
    }

    public double cv() {
        return params[2];
    }

    /**
     * The same lens seen through a crop of {@code (offsetX, offsetY)} pixels followed by a resize by
     * {@code scale} with pixel-centre alignment: {@code f' = s f}, {@code c' = s (c - offset + 0.5) - 0.5}.
     * Distortion is unchanged. (2880 -> 1408 is offset 32, scale 1/2: {@code c' = (c - 0.5 - 32) / 2}.)
     */
    public Fisheye624 cropAndScale(double offsetX, double offsetY, double scale) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new CalibrationException("scale must be positive and finite, got " + scale);
        }
        double[] p = params.clone();
        p[0] = scale * params[0];
        p[1] = scale * (params[1] - offsetX + 0.5) - 0.5;
        p[2] = scale * (params[2] - offsetY + 0.5) - 0.5;
        return new Fisheye624(p);
    }

    /** Projects a camera-frame point with {@code z > 0} to pixels. */
    public ImagePoint project(double x, double y, double z) {
        if (!(z > 0)) {
            throw new IllegalArgumentException("cannot project a point with z <= 0: (" + x + ", " + y + ", " + z + ")");
        }
        double[] out = new double[2];
        projectNormalized(x / z, y / z, out);
        return new ImagePoint(out[0], out[1]);
    }

    public ImagePoint project(Ray ray) {
        return project(ray.x(), ray.y(), ray.z());
    }

    /** Hot-path projection of the normalised point {@code (a, b) = (x/z, y/z)} into {@code out[0..1]}. */
    void projectNormalized(double a, double b, double[] out) {
        double r = Math.sqrt(a * a + b * b);
        double xr = a;
        double yr = b;
        if (r > 1e-12) {
            double theta = Math.atan(r);
            double factor = radial(theta) * theta / r;
            xr = a * factor;
            yr = b * factor;
        }
        double p0 = params[9];
        double p1 = params[10];
        double rd2 = xr * xr + yr * yr;
        double tangential = 2 * (xr * p0 + yr * p1);
        double u = xr + tangential * xr + rd2 * p0 + params[11] * rd2 + params[12] * rd2 * rd2;
        double v = yr + tangential * yr + rd2 * p1 + params[13] * rd2 + params[14] * rd2 * rd2;
        out[0] = params[0] * u + params[1];
        out[1] = params[0] * v + params[2];
    }

    /**
     * The ray through pixel {@code (px, py)}, with {@code z = 1}. Newton on the tangential and thin-prism
     * part with its analytic 2x2 Jacobian, then Newton on {@code theta * rad(theta) = |(xr, yr)|}.
     *
     * @throws IllegalArgumentException when the iteration does not converge (far outside the lens's field)
     */
    public Ray unproject(double px, double py) {
        double f = params[0];
        double u = (px - params[1]) / f;
        double v = (py - params[2]) / f;
        double p0 = params[9];
        double p1 = params[10];
        double s0 = params[11];
        double s1 = params[12];
        double s2 = params[13];
        double s3 = params[14];
        double xr = u;
        double yr = v;
        boolean converged = false;
        for (int i = 0; i < MAX_NEWTON_STEPS && !converged; i++) {
            double rd2 = xr * xr + yr * yr;
            double tangential = 2 * (xr * p0 + yr * p1);
            double eu = xr + tangential * xr + rd2 * p0 + s0 * rd2 + s1 * rd2 * rd2 - u;
            double ev = yr + tangential * yr + rd2 * p1 + s2 * rd2 + s3 * rd2 * rd2 - v;
            double prismU = 2 * (s0 + 2 * s1 * rd2);
            double prismV = 2 * (s2 + 2 * s3 * rd2);
            double j00 = 1 + 6 * p0 * xr + 2 * p1 * yr + prismU * xr;
            double j01 = 2 * p1 * xr + 2 * p0 * yr + prismU * yr;
            double j10 = 2 * p0 * yr + 2 * p1 * xr + prismV * xr;
            double j11 = 1 + 2 * p0 * xr + 6 * p1 * yr + prismV * yr;
            double det = j00 * j11 - j01 * j10;
            double dx = (j11 * eu - j01 * ev) / det;
            double dy = (-j10 * eu + j00 * ev) / det;
            xr -= dx;
            yr -= dy;
            converged = dx * dx + dy * dy < 1e-30;
        }
        double rth = Math.hypot(xr, yr);
        if (!converged || !Double.isFinite(rth)) {
            throw new IllegalArgumentException("unprojection of pixel (" + px + ", " + py + ") did not converge");
        }
        if (rth < 1e-12) {
            return new Ray(xr, yr, 1);
        }
        double theta = rth;
        converged = false;
        for (int i = 0; i < MAX_NEWTON_STEPS && !converged; i++) {
            double step = (theta * radial(theta) - rth) / radialDerivativeOfThetaRad(theta);
            theta -= step;
            converged = Math.abs(step) < 1e-15 * Math.max(1, theta);
        }
        if (!converged || !(theta > 0) || theta >= Math.PI / 2) {
            throw new IllegalArgumentException("unprojection of pixel (" + px + ", " + py + ") gives no ray in front of the camera");
        }
        double scale = Math.tan(theta) / rth;
        return new Ray(scale * xr, scale * yr, 1);
    }

    /** {@code rad(theta) = 1 + k0 theta^2 + ... + k5 theta^12}. */
    private double radial(double theta) {
        double t2 = theta * theta;
        double sum = params[8];
        for (int i = 7; i >= 3; i--) {
            sum = sum * t2 + params[i];
        }
        return 1 + sum * t2;
    }

    /** d/dtheta of {@code theta * rad(theta)} = {@code 1 + 3 k0 theta^2 + ... + 13 k5 theta^12}. */
    private double radialDerivativeOfThetaRad(double theta) {
        double t2 = theta * theta;
        double sum = 13 * params[8];
        for (int i = 7; i >= 3; i--) {
            sum = sum * t2 + (2 * (i - 3) + 3) * params[i];
        }
        return 1 + sum * t2;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fisheye624 that && Arrays.equals(params, that.params);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(params);
    }

    @Override
    public String toString() {
        return "Fisheye624" + Arrays.toString(params);
    }
}
