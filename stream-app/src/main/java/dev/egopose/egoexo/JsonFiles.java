package dev.egopose.egoexo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** What the Ego-Exo4D writers share: atomic replacement of a file, and the one-frame-per-line layout. */
final class JsonFiles {
    private JsonFiles() {}

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} atomically: a temporary file in the same folder, forced to disk, renamed
     * over the target (creating the folder if needed). A reader sees the old file or the new one; a
     * failed write leaves the old one untouched and no temporary file behind.
     */
    static void writeAtomically(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        // Not Files.createTempFile: that makes the file owner-only, and the rename would carry that over.
        Path temp = folder.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(out);
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

    /** Compact JSON with a line break before each take and each frame (and before the closing braces). */
    static final class LinePerFrame extends MinimalPrettyPrinter {
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
}
