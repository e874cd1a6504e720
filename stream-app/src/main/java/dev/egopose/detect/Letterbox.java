package dev.egopose.detect;

/**
 * An image of {@code width x height} scaled to fit a square model input of {@code size} and centred
 * on it (black bars); maps normalised model coordinates back to image pixels.
 *
 * @param scaledWidth  the image's width on the input
 * @param scaledHeight its height on the input
 * @param padX         the left bar, input pixels
 * @param padY         the top bar, input pixels
 */
record Letterbox(int width, int height, int size, int scaledWidth, int scaledHeight, int padX, int padY) {
    static Letterbox fit(int width, int height, int size) {
        double scale = (double) size / Math.max(width, height);
        int w = Math.max(1, (int) Math.round(width * scale));
        int h = Math.max(1, (int) Math.round(height * scale));
        return new Letterbox(width, height, size, w, h, (size - w) / 2, (size - h) / 2);
    }

    /** A palm from normalised input coordinates to image pixels. */
    PalmDetection toImage(PalmDetection palm) {
        double[] box = palm.box().clone();
        double[] keypoints = palm.keypoints().clone();
        for (int i = 0; i < box.length; i += 2) {
            box[i] = x(box[i]);
            box[i + 1] = y(box[i + 1]);
        }
        for (int i = 0; i < keypoints.length; i += 2) {
            keypoints[i] = x(keypoints[i]);
            keypoints[i + 1] = y(keypoints[i + 1]);
        }
        return new PalmDetection(palm.score(), box, keypoints);
    }

    private double x(double normalised) {
        return (normalised * size - padX) * width / scaledWidth;
    }

    private double y(double normalised) {
        return (normalised * size - padY) * height / scaledHeight;
    }
}
