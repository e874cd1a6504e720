package dev.egopose.camera;

/**
 * The Aria RGB camera's intrinsics together with the image size they are valid for. projectaria's
 * JSON does not carry the size; {@link CalibrationJson} infers or is told it. Use
 * {@link #fittedTo(int, int)} before applying a calibration to a frame.
 */
public record RgbCalibration(Fisheye624 model, int width, int height) {
    /** Factory calibrations are for the full sensor. */
    public static final int FULL_SENSOR = 2880;
    /** Ego-Exo4D's (and Aria's default) recording size. */
    public static final int RECORDING = 1408;

    public RgbCalibration {
        if (model == null) {
            throw new CalibrationException("calibration has no camera model");
        }
        if (width <= 0 || height <= 0) {
            throw new CalibrationException("calibration image size must be positive, got " + width + "x" + height);
        }
    }

    /** Whether {@code (x, y)} lies in {@code [0, width-1] x [0, height-1]}. */
    public boolean contains(double x, double y) {
        return x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
    }

    /**
     * The calibration for a crop of {@code cropWidth x cropHeight} at {@code (x0, y0)} of this image,
     * then resized by {@code scale} (pixel-centre aligned); the new size must come out whole.
     */
    public RgbCalibration cropAndScale(int x0, int y0, int cropWidth, int cropHeight, double scale) {
        if (x0 < 0 || y0 < 0 || cropWidth <= 0 || cropHeight <= 0 || x0 + cropWidth > width || y0 + cropHeight > height) {
            throw new CalibrationException("crop " + cropWidth + "x" + cropHeight + " at (" + x0 + ", " + y0
                    + ") does not lie inside the calibrated " + width + "x" + height + " image");
        }
        double w = cropWidth * scale;
        double h = cropHeight * scale;
        if (Math.abs(w - Math.rint(w)) > 1e-9 || Math.abs(h - Math.rint(h)) > 1e-9 || w < 1 || h < 1) {
            throw new CalibrationException("scaling a " + cropWidth + "x" + cropHeight + " crop by " + scale
                    + " does not give a whole image size (" + w + "x" + h + ")");
        }
        return new RgbCalibration(model.cropAndScale(x0, y0, scale), (int) Math.rint(w), (int) Math.rint(h));
    }

    /** This calibration resized by a power of two (or unchanged) to {@code w x h}; null when no such resize fits. */
    private RgbCalibration resizedTo(int w, int h) {
        for (double scale : new double[] {1, 0.5, 0.25, 0.125, 2}) {
            if (w == width * scale && h == height * scale) {
                return scale == 1 ? this : cropAndScale(0, 0, width, height, scale);
            }
        }
        return null;
    }

    /**
     * This calibration for a frame of {@code frameWidth x frameHeight}: itself when the sizes match;
     * Ego-Exo4D's 2880 -> 1408 rule (crop 32 px each side, halve); a resize by a power of two (1/8 to 2,
     * e.g. 1408 -> 704); 2880 -> 1408 then such a resize. Any other size, such as an already undistorted
     * 512x512 image, is refused: silently stretching a calibration hides the most common user error.
     *
     * @throws CalibrationException naming both sizes when the frame does not fit
     */
    public RgbCalibration fittedTo(int frameWidth, int frameHeight) {
        if (width == FULL_SENSOR && height == FULL_SENSOR) {
            RgbCalibration recording = cropAndScale(32, 32, FULL_SENSOR - 64, FULL_SENSOR - 64, 0.5);
            RgbCalibration fitted = recording.resizedTo(frameWidth, frameHeight);
            if (fitted != null) {
                return fitted;
            }
        }
        RgbCalibration fitted = resizedTo(frameWidth, frameHeight);
        if (fitted != null) {
            return fitted;
        }
        throw new CalibrationException("frame is " + frameWidth + "x" + frameHeight + " but the camera-rgb calibration is for "
                + width + "x" + height + " and cannot be rescaled to it (known: the 2880->1408 rule and resizes by powers of two)");
    }
}
