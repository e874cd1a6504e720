package dev.egopose.camera;

/** A direction in camera coordinates (x right, y down, z forward); not necessarily unit length. */
public record Ray(double x, double y, double z) {
    /** Angle between this ray and the optical axis, in radians. */
    public double angleFromAxis() {
        return Math.atan2(Math.hypot(x, y), z);
    }
}
