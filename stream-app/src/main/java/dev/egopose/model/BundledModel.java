package dev.egopose.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code tiny} POTTER export shipped inside the jar, trained on our synthetic takes (for tests and
 * the demo; see {@code src/main/python/train_synthetic.py}).
 * DJL loads models from files, so the first use copies it into a folder named after its checksum.
 */
public final class BundledModel {
    private static final String RESOURCE = "/dev/egopose/model/potter-tiny/";
    private static final String[] FILES = {"model.json", "model.pt"};

    private BundledModel() {}

    /** A folder holding the bundled {@code model.pt} and {@code model.json}, extracted under {@code cacheRoot}. */
    public static Path extractTo(Path cacheRoot) {
        try {
            byte[] card = read("model.json");
            Path dir = cacheRoot.resolve("potter-tiny-" + Sha256.of(card).substring(0, 16));
            if (Files.isRegularFile(dir.resolve("model.pt")) && Files.isRegularFile(dir.resolve("model.json"))) {
                return dir;
            }
            Files.createDirectories(dir);
            for (String name : FILES) {
                Path tmp = Files.createTempFile(dir, ".extract-", ".tmp");
                Files.write(tmp, read(name));
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled model under " + cacheRoot, e);
        }
    }

    /** Extracts into the default cache folder, {@code ~/.cache/egopose/models}. */
    public static Path extract() {
        return extractTo(Path.of(System.getProperty("user.home"), ".cache", "egopose", "models"));
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = BundledModel.class.getResourceAsStream(RESOURCE + name)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }
}
