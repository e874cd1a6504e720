package dev.egopose.camera;

/** How a frame's pixels are stored relative to the Aria RGB sensor. */
public enum FrameOrientation {
    /** Landscape sensor orientation, as the calibration expects (the benchmark's extracted images). */
    SENSOR,
    /**
     * Rotated 90 degrees clockwise, as in recorded mp4s (portrait). Rotating 90 degrees
     * counter-clockwise restores sensor orientation: sensor pixel (x, y) is stored at
     * (sensorHeight - 1 - y, x).
     */
    PORTRAIT
}
