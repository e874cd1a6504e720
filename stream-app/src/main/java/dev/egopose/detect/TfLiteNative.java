package dev.egopose.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads TFLite's JNI library from the {@code tflite-native-cpu} jar, copied once into
 * {@code $DJL_CACHE_DIR/tflite-2.6.2} (default {@code ~/.djl.ai}), offline.
 */
final class TfLiteNative {
    private static final String RESOURCE = "/native/lib/libtensorflowlite_jni.so";
    private static boolean loaded;

    private TfLiteNative() {}

    static synchronized void load() {
        if (loaded) {
            return;
        }
        String cache = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        Path dir = (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".djl.ai")).resolve("tflite-2.6.2");
        Path library = dir.resolve("libtensorflowlite_jni.so");
        try (InputStream in = TfLiteNative.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new DetectorException("TFLite's native library " + RESOURCE + " is not on the classpath (ai.djl.tflite:tflite-native-cpu:2.6.2:linux-x86_64)");
            }
            if (!Files.isRegularFile(library)) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "libtensorflowlite_jni", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DetectorException("cannot copy TFLite's native library into " + dir + ": " + e.getMessage(), e);
        }
        System.load(library.toString());
        loaded = true;
    }
}
