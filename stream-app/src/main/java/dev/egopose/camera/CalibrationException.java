package dev.egopose.camera;

/**
 * A calibration that cannot be used: unreadable JSON, a missing or malformed field, an unknown model,
 * or a frame whose size does not fit. The message names the file or field and the values involved.
 */
public final class CalibrationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CalibrationException(String message) {
        super(message);
    }

    public CalibrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
