package dev.egopose.ingest;

/** A request that cannot become a frame; answered with its HTTP status and a reason naming the field. */
final class BadRequestException extends RuntimeException {
    private final int status;
    private final String field;

    BadRequestException(int status, String field, String reason) {
        super(reason);
        this.status = status;
        this.field = field;
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
