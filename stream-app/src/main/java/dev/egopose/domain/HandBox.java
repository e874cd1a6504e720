package dev.egopose.domain;

/**
 * An axis-aligned hand box {@code [x1, y1, x2, y2]} in pixels of the undistorted image.
 * Refuses non-finite corners and boxes with no area.
 */
public record HandBox(double x1, double y1, double x2, double y2) {
    public HandBox {
        if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
            throw new IllegalArgumentException("hand box has a non-finite corner: " + describe(x1, y1, x2, y2));
        }
        if (x2 <= x1 || y2 <= y1) {
            throw new IllegalArgumentException("hand box has no area: " + describe(x1, y1, x2, y2));
        }
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double centerX() {
        return (x1 + x2) / 2.0;
    }

    public double centerY() {
        return (y1 + y2) / 2.0;
    }

    @Override
    public String toString() {
        return describe(x1, y1, x2, y2);
    }

    private static String describe(double x1, double y1, double x2, double y2) {
        return "[" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + "]";
    }
}
