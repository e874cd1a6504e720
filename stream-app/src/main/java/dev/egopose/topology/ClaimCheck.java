package dev.egopose.topology;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the image behind a frame's {@code file:} URI, and nothing else: the URI must resolve, after
 * normalising and following symbolic links, to a regular file under one of the configured roots,
 * of at most the byte limit. No root configured: every URI is refused. Refusals name the URI and
 * the rule, never the file's contents, and a path outside the roots gets the same answer whether
 * or not it exists. Public for the live view, which reads the same images under the same rules.
 */
public final class ClaimCheck {
    private final List<Path> roots;
    private final long maxBytes;

    /** @param roots real (absolute, symlink-free) folders */
    public ClaimCheck(List<Path> roots, long maxBytes) {
        this.roots = List.copyOf(roots);
        this.maxBytes = maxBytes;
    }

    /** The file's bytes. @throws RuntimeException (a rejection) naming {@code where}, the URI and what is wrong */
    public byte[] read(String uri, String where) {
        Path path = parse(uri, where);
        if (roots.isEmpty()) {
            throw new RejectedRecord(where + ": field image.uri: " + uri + " refused: file: URIs are read only from the folders"
                    + " in image.uri.roots, and none is set");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            // outside the roots, say only that: whether such a file exists is none of the sender's business
            throw underARoot(path)
                    ? new RejectedRecord(where + ": field image.uri: " + uri + (e instanceof NoSuchFileException ? " does not exist"
                            : " cannot be resolved (" + e.getClass().getSimpleName() + ")"))
                    : outside(uri, where);
        }
        if (!underARoot(real)) {
            throw outside(uri, where);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new RejectedRecord(where + ": field image.uri: " + uri + " is not a regular file");
        }
        return readBounded(real, uri, where);
    }

    private static Path parse(String uri, String where) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new RejectedRecord(where + ": field image.uri: '" + uri + "' is malformed: " + e.getReason());
        }
        if (!"file".equalsIgnoreCase(parsed.getScheme())) {
            throw new RejectedRecord(where + ": field image.uri: " + uri + " has an unsupported scheme (only file: is read)");
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null || (parsed.getAuthority() != null && !parsed.getAuthority().isEmpty())) {
            throw new RejectedRecord(where + ": field image.uri: " + uri + " must be a plain file:/// URI (no host, query or fragment)");
        }
        try {
            return Path.of(parsed).normalize();
        } catch (IllegalArgumentException e) { // also InvalidPathException
            throw new RejectedRecord(where + ": field image.uri: '" + uri + "' is not a file path: " + e.getMessage());
        }
    }

    private boolean underARoot(Path path) {
        return path.isAbsolute() && roots.stream().anyMatch(path::startsWith);
    }

    private byte[] readBounded(Path file, String uri, String where) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw tooLarge(uri, where, size);
            }
            // read one byte past the limit: a file that grows while it is read is refused too
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                throw tooLarge(uri, where, bytes.length);
            }
            if (bytes.length == 0) {
                throw new RejectedRecord(where + ": field image.uri: " + uri + " is an empty file");
            }
            return bytes;
        } catch (IOException e) {
            throw new RejectedRecord(where + ": field image.uri: cannot read " + uri + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private RejectedRecord outside(String uri, String where) {
        return new RejectedRecord(where + ": field image.uri: " + uri + " is outside image.uri.roots " + roots + " (links followed)");
    }

    private RejectedRecord tooLarge(String uri, String where, long size) {
        return new RejectedRecord(where + ": field image.uri: " + uri + " holds " + size + " bytes, more than image.max.bytes = " + maxBytes);
    }
}
