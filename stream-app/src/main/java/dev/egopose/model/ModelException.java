package dev.egopose.model;

/** A model that cannot be loaded or used: missing, corrupt, or not matching its card. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
