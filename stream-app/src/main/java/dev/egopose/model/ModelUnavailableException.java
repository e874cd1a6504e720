package dev.egopose.model;

/**
 * The model keeps failing, on good input too: a failure of the system, never of the frame. The
 * processor stops loudly on it rather than dead-letter frames it could not judge.
 */
public final class ModelUnavailableException extends ModelException {
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
