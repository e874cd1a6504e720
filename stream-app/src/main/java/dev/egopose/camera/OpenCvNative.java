package dev.egopose.camera;

/**
 * Loads OpenCV's native library once per JVM. Idempotent and thread-safe: the load happens in the
 * initialiser of a holder class, which the JVM runs exactly once. Every class that touches OpenCV
 * calls {@link #load()} first (in its constructor).
 */
public final class OpenCvNative {
    private OpenCvNative() {}

    /** Makes sure the native library is loaded; cheap after the first call. */
    public static void load() {
        Holder.touch();
    }

    private static final class Holder {
        static {
            nu.pattern.OpenCV.loadLocally();
        }

        static void touch() {
            // the static initialiser did the work
        }
    }
}
