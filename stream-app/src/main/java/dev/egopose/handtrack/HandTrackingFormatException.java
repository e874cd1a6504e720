package dev.egopose.handtrack;

/** A hand-tracking file that cannot be read; the message names the file, line and column. */
public final class HandTrackingFormatException extends IllegalArgumentException {
    public HandTrackingFormatException(String message) {
        super(message);
    }
}
