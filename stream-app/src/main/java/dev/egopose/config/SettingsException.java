package dev.egopose.config;

/** A setting that is unknown or has a value it cannot take; the message names the key, the value and where it came from. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
