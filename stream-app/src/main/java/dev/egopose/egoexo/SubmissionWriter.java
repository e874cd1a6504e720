package dev.egopose.egoexo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Writes a {@link Submission} as the benchmark's JSON. Output is deterministic: takes sorted by uid,
 * frames in numeric order, {@code left_hand_3d} before {@code right_hand_3d}, one frame per line, so the
 * same content gives byte-identical files. Files are replaced atomically (a temporary file in the same
 * folder, flushed to disk, then renamed over the target): a reader sees the old file or the new one, and
 * a failed write leaves the old one untouched. Refuses non-finite coordinates, which JSON cannot carry
 * and the benchmark cannot score. Stateless and thread-safe.
 */
public final class SubmissionWriter {
    private final JsonFactory factory = JsonFactory.builder().build();

    /** Writes {@code submission} to {@code target} atomically, creating the parent folder if needed. */
    public void write(Submission submission, Path target) throws IOException {
        JsonFiles.writeAtomically(target, out -> write(submission, out));
    }

    /** Writes the JSON to a stream (left open). */
    public void write(Submission submission, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setPrettyPrinter(new JsonFiles.LinePerFrame());
            json.writeStartObject();
            for (Map.Entry<String, SortedMap<Integer, FramePrediction>> take : submission.takes().entrySet()) {
                json.writeFieldName(take.getKey());
                json.writeStartObject();
                for (Map.Entry<Integer, FramePrediction> frame : take.getValue().entrySet()) {
                    json.writeFieldName(Integer.toString(frame.getKey()));
                    json.writeStartObject();
                    for (HandSide side : new HandSide[] {HandSide.LEFT, HandSide.RIGHT}) {
                        json.writeFieldName(side.jsonName() + "_hand_3d");
                        writeHand(json, frame.getValue().hand(side), take.getKey(), frame.getKey(), side);
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    private static void writeHand(JsonGenerator json, Optional<Joints3d> hand, String take, int frame, HandSide side)
            throws IOException {
        json.writeStartArray();
        if (hand.isPresent()) {
            double[] xyz = hand.get().xyz();
            for (int j = 0; j < Joints3d.JOINTS; j++) {
                json.writeStartArray();
                for (int d = 0; d < 3; d++) {
                    double v = xyz[j * 3 + d];
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("take " + take + ", frame " + frame + ", " + side.jsonName()
                                + "_hand_3d: joint " + j + " has a non-finite coordinate " + v + "; refusing to write it");
                    }
                    json.writeNumber(v);
                }
                json.writeEndArray();
            }
        }
        json.writeEndArray();
    }
}
