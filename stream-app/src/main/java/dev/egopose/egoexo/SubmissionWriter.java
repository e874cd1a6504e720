package dev.egopose.egoexo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

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
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        // Not Files.createTempFile: that makes the file owner-only, and the rename would carry that over.
        Path temp = folder.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
                write(submission, out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + absolute + " atomically on this file system", e);
            }
            moved = true;
            syncFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Makes the rename itself durable where the platform allows syncing a folder (Linux does); best effort. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported here (e.g. Windows); the data itself was already forced to disk.
        }
    }

    /** Writes the JSON to a stream (left open). */
    public void write(Submission submission, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setPrettyPrinter(new LinePerFrame());
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

    /** Compact JSON with a line break before each take and each frame (and before the closing braces). */
    private static final class LinePerFrame extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            super.writeStartObject(g);
            breakIfOuter(g);
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            super.writeObjectEntrySeparator(g);
            breakIfOuter(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            breakIfOuter(g);
            super.writeEndObject(g, nrOfEntries);
        }

        /** Inside the top-level object (depth 1) and a take's object (depth 2). */
        private static void breakIfOuter(JsonGenerator g) throws IOException {
            if (g.getOutputContext().getNestingDepth() <= 2) {
                g.writeRaw('\n');
            }
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
