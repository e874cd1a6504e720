package dev.egopose.detect;

/**
 * A rotated rectangle around a hand in image pixels (continuous: pixel i covers [i, i+1)), as
 * MediaPipe's NormalizedRect: the landmark model sees it upright, wrist at the bottom.
 *
 * @param rotation radians, in [-pi, pi); 0 when the wrist-to-fingers vector points up the image
 */
public record HandRect(double cx, double cy, double width, double height, double rotation) {
    /** Palm detection to hand: rotation wrist (keypoint 0) to middle-finger base (2); shift -0.5, squared, scale 2.6. */
    public static final double PALM_SCALE = 2.6;
    public static final double PALM_SHIFT_Y = -0.5;
    /** Landmarks to the next frame's hand: shift -0.1, squared, scale 2.0. */
    public static final double LANDMARK_SCALE = 2.0;
    public static final double LANDMARK_SHIFT_Y = -0.1;
    private static final int[] PARTIAL = {0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18};

    public HandRect {
        if (!Double.isFinite(cx) || !Double.isFinite(cy) || !(width > 0) || !(height > 0) || !Double.isFinite(width)
                || !Double.isFinite(height) || !Double.isFinite(rotation)) {
            throw new IllegalArgumentException("hand rect needs a finite centre, positive size and finite rotation, got "
                    + cx + ", " + cy + ", " + width + "x" + height + ", " + rotation);
        }
    }

    /** The hand around a palm detection in image pixels. */
    public static HandRect fromPalm(PalmDetection palm) {
        double[] b = palm.box();
        double[] k = palm.keypoints();
        double rotation = rotation(k[0], k[1], k[4], k[5]);
        return new HandRect((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1], rotation)
                .transformed(PALM_SCALE, PALM_SHIFT_Y);
    }

    /** The next frame's hand from 21 landmarks {@code x0, y0, x1, y1, ...} in image pixels. */
    public static HandRect fromLandmarks(double[] xy) {
        if (xy.length != 42) {
            throw new IllegalArgumentException("expected 21 landmarks (42 values), got " + xy.length);
        }
        double x1 = ((xy[10] + xy[26]) / 2 + xy[18]) / 2;
        double y1 = ((xy[11] + xy[27]) / 2 + xy[19]) / 2;
        double rotation = rotation(xy[0], xy[1], x1, y1);
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i : PARTIAL) {
            minX = Math.min(minX, xy[2 * i]);
            maxX = Math.max(maxX, xy[2 * i]);
            minY = Math.min(minY, xy[2 * i + 1]);
            maxY = Math.max(maxY, xy[2 * i + 1]);
        }
        double centreX = (minX + maxX) / 2;
        double centreY = (minY + maxY) / 2;
        double cos = Math.cos(-rotation);
        double sin = Math.sin(-rotation);
        double rMinX = Double.POSITIVE_INFINITY;
        double rMinY = Double.POSITIVE_INFINITY;
        double rMaxX = Double.NEGATIVE_INFINITY;
        double rMaxY = Double.NEGATIVE_INFINITY;
        for (int i : PARTIAL) {
            double dx = xy[2 * i] - centreX;
            double dy = xy[2 * i + 1] - centreY;
            double rx = dx * cos - dy * sin;
            double ry = dx * sin + dy * cos;
            rMinX = Math.min(rMinX, rx);
            rMaxX = Math.max(rMaxX, rx);
            rMinY = Math.min(rMinY, ry);
            rMaxY = Math.max(rMaxY, ry);
        }
        double midX = (rMinX + rMaxX) / 2;
        double midY = (rMinY + rMaxY) / 2;
        double cx = centreX + midX * Math.cos(rotation) - midY * Math.sin(rotation);
        double cy = centreY + midX * Math.sin(rotation) + midY * Math.cos(rotation);
        return new HandRect(cx, cy, Math.max(rMaxX - rMinX, 1e-6), Math.max(rMaxY - rMinY, 1e-6), rotation)
                .transformed(LANDMARK_SCALE, LANDMARK_SHIFT_Y);
    }

    /** Shifted by {@code shiftY} of its height along its own y axis, squared to the long side, scaled. */
    HandRect transformed(double scale, double shiftY) {
        double x = cx - height * shiftY * Math.sin(rotation);
        double y = cy + height * shiftY * Math.cos(rotation);
        double side = Math.max(width, height) * scale;
        return new HandRect(x, y, side, side, rotation);
    }

    /** The image point at {@code (u, v)} of the rect, both in [0, 1] from its top-left corner as the model sees it. */
    double[] toImage(double u, double v) {
        double x = (u - 0.5) * width;
        double y = (v - 0.5) * height;
        return new double[] {cx + x * Math.cos(rotation) - y * Math.sin(rotation), cy + x * Math.sin(rotation) + y * Math.cos(rotation)};
    }

    /** Intersection over union of the two rects' axis-aligned bounds: tells a tracked hand from a new detection. */
    double boundsIou(HandRect other) {
        double[] a = bounds();
        double[] b = other.bounds();
        double ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = ix * iy;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union > 0 ? inter / union : 0;
    }

    private double[] bounds() {
        double hw = (Math.abs(width * Math.cos(rotation)) + Math.abs(height * Math.sin(rotation))) / 2;
        double hh = (Math.abs(width * Math.sin(rotation)) + Math.abs(height * Math.cos(rotation))) / 2;
        return new double[] {cx - hw, cy - hh, cx + hw, cy + hh};
    }

    private static double rotation(double x0, double y0, double x1, double y1) {
        double angle = Math.PI / 2 - Math.atan2(-(y1 - y0), x1 - x0);
        return angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
    }
}
