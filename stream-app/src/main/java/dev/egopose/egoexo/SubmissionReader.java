package dev.egopose.egoexo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a submission JSON ({@code {take_uid: {frame_number: {"left_hand_3d": 21x[x,y,z] or [], "right_hand_3d": ...}}}}).
 * A missing hand key reads like {@code []}; other keys are ignored; Python's {@code NaN} token is accepted.
 * {@link #read} refuses any malformed hand; {@link #readTolerant} sets malformed hands aside (the official
 * evaluation only objects to those it evaluates). Stateless and thread-safe.
 */
public final class SubmissionReader {
    /** What {@link #readTolerant} found: the well-formed content and the hands that were not. */
    public record Result(Submission submission, List<MalformedHand> malformed) {
        public Result {
            Objects.requireNonNull(submission, "submission");
            malformed = List.copyOf(malformed);
        }
    }

    private final TakeFrameWalker walker = new TakeFrameWalker();

    /** Reads a submission, failing on the first malformed hand with an error naming take, frame and field. */
    public Submission read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return read(in, file.toString());
        }
    }

    public Submission read(InputStream in, String source) throws IOException {
        return parse(in, source, false).submission();
    }

    /** Reads a submission, setting malformed hands aside instead of failing; the file's structure must still be right. */
    public Result readTolerant(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readTolerant(in, file.toString());
        }
    }

    public Result readTolerant(InputStream in, String source) throws IOException {
        return parse(in, source, true);
    }

    private Result parse(InputStream in, String source, boolean tolerant) throws IOException {
        TreeMap<String, SortedMap<Integer, FramePrediction>> takes = new TreeMap<>();
        List<MalformedHand> malformed = new ArrayList<>();
        walker.walk(in, source, (take, frameKey, frameNumber, record) -> {
            RecordReader reader = new RecordReader(source, take, frameKey);
            FramePrediction frame = FramePrediction.EMPTY;
            for (HandSide side : HandSide.values()) {
                try {
                    Optional<Joints3d> joints = reader.joints(record, side.jsonName() + "_hand_3d", 3, false).map(Joints3d::new);
                    frame = frame.with(side, joints);
                } catch (EgoExoFormatException e) {
                    if (!tolerant) {
                        throw e;
                    }
                    malformed.add(new MalformedHand(take, frameNumber, side, e.field().orElse("") + ": " + e.problem()));
                }
            }
            takes.computeIfAbsent(take, t -> new TreeMap<>()).put(frameNumber, frame);
        });
        return new Result(new Submission(takes), malformed);
    }

    private static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }
}
