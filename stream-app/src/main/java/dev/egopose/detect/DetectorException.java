package dev.egopose.detect;

/** The hand detector's models cannot be loaded or do not have the expected shape. */
public final class DetectorException extends RuntimeException {
    public DetectorException(String message) {
        super(message);
    }

    public DetectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
