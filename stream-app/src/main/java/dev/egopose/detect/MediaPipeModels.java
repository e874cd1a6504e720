package dev.egopose.detect;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where scripts/fetch-mediapipe.sh put MediaPipe Hands' models: {@code $EGOPOSE_MEDIAPIPE_DIR}, else
 * {@code ~/.cache/egopose/mediapipe}. The full (not lite) palm and landmark models are used, as
 * MediaPipe's default model complexity 1.
 */
public record MediaPipeModels(Path dir) {
    public static final String PALM = "palm_detection_full.tflite";
    public static final String LANDMARK = "hand_landmark_full.tflite";

    public static MediaPipeModels defaultLocation() {
        String env = System.getenv("EGOPOSE_MEDIAPIPE_DIR");
        return new MediaPipeModels(env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "egopose", "mediapipe"));
    }

    public Path palm() {
        return dir.resolve(PALM);
    }

    public Path landmark() {
        return dir.resolve(LANDMARK);
    }

    /** Whether both model files are there. */
    public boolean present() {
        return Files.isRegularFile(palm()) && Files.isRegularFile(landmark());
    }
}
