package dev.egopose.topology;

/** Thrown inside a processor for input that cannot be processed; the record goes to the dead-letter topic. */
final class RejectedRecord extends RuntimeException {
    RejectedRecord(String reason) {
        super(reason);
    }

    RejectedRecord(String reason, Throwable cause) {
        super(reason, cause);
    }
}
