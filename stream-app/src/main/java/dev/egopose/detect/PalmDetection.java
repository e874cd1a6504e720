package dev.egopose.detect;

/**
 * One palm found by the detector.
 *
 * @param score     sigmoid score in [0, 1]
 * @param box       {@code [xmin, ymin, xmax, ymax]}
 * @param keypoints 7 palm keypoints as {@code x0, y0, x1, y1, ...}: 0 wrist centre, 2 middle-finger base
 */
public record PalmDetection(double score, double[] box, double[] keypoints) {
    public static final int KEYPOINTS = 7;

    public PalmDetection {
        if (box.length != 4 || keypoints.length != 2 * KEYPOINTS) {
            throw new IllegalArgumentException("a palm detection has 4 box values and " + 2 * KEYPOINTS + " keypoint values, got "
                    + box.length + " and " + keypoints.length);
        }
    }

    /** Intersection over union of the two boxes; 0 when they do not meet. */
    double iou(PalmDetection other) {
        double[] a = box;
        double[] b = other.box;
        double ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = ix * iy;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union > 0 ? inter / union : 0;
    }
}
