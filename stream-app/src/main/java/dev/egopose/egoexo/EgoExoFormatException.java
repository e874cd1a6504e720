package dev.egopose.egoexo;

import java.util.Optional;

/**
 * An Ego-Exo4D JSON file that does not have the expected shape. The message names the file and, where
 * known, the take, the frame and the field, so a user can find the offending spot.
 */
public final class EgoExoFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String take;
    private final String frame;
    private final String field;
    private final String problem;

    EgoExoFormatException(String source, String take, String frame, String field, String problem, Throwable cause) {
        super(describe(source, take, frame, field, problem), cause);
        this.source = source;
        this.take = take;
        this.frame = frame;
        this.field = field;
        this.problem = problem;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    /** The file (or stream name) being read. */
    public String source() {
        return source;
    }

    public Optional<String> take() {
        return Optional.ofNullable(take);
    }

    /** The frame key as written in the file. */
    public Optional<String> frame() {
        return Optional.ofNullable(frame);
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    private static String describe(String source, String take, String frame, String field, String problem) {
        StringBuilder text = new StringBuilder(source);
        if (take != null) {
            text.append(": take ").append(take);
        }
        if (frame != null) {
            text.append(take != null ? ", frame " : ": frame ").append(frame);
        }
        if (field != null) {
            text.append(take != null || frame != null ? ", field " : ": field ").append(field);
        }
        return text.append(": ").append(problem).toString();
    }
}
