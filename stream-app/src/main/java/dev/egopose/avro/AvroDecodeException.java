package dev.egopose.avro;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes on a topic that do not decode as the topic's Avro type. The message names the topic, the
 * expected type, the size and what was wrong; {@link #problem()} classifies it for metrics and the
 * dead-letter reason. It is a Kafka {@link SerializationException}, so Kafka clients and a Streams
 * deserialization handler treat it as a poison record, not as a crash of the application.
 */
public final class AvroDecodeException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** What kind of wrong. */
    public enum Problem {
        /** Zero bytes. */
        EMPTY,
        /** Not Avro single-object encoding (no {@code C3 01} header, or too short for one). */
        NOT_SINGLE_OBJECT,
        /** A single-object header whose schema fingerprint this reader does not know. */
        UNKNOWN_SCHEMA,
        /** The header is fine but the body does not decode (truncated, corrupt, or trailing bytes). */
        CORRUPT_BODY
    }

    private final String topic;
    private final String typeName;
    private final Problem problem;

    AvroDecodeException(String topic, String typeName, Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.topic = topic;
        this.typeName = typeName;
        this.problem = problem;
    }

    /** The topic the bytes came from ({@code null} if the caller did not say). */
    public String topic() {
        return topic;
    }

    /** The simple name of the Avro type that was expected, e.g. {@code Frame}. */
    public String typeName() {
        return typeName;
    }

    public Problem problem() {
        return problem;
    }
}
