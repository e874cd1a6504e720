package dev.egopose.crop;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Releases every {@link Mat} registered with it when closed, so pixel buffers are freed when a
 * try-with-resources block ends rather than whenever the garbage collector finalises the Java object.
 * (OpenCV's Java binding frees the tiny native header itself only on finalisation.) Not thread-safe:
 * one scope per call.
 */
final class MatScope implements AutoCloseable {
    private final List<Mat> mats = new ArrayList<>();

    <T extends Mat> T add(T mat) {
        mats.add(mat);
        return mat;
    }

    Mat mat() {
        return add(new Mat());
    }

    @Override
    public void close() {
        for (Mat mat : mats) {
            mat.release();
        }
        mats.clear();
    }
}
