package dev.egopose.cli;

import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.crop.FrameDecoder;
import dev.egopose.crop.HandCropper;
import dev.egopose.crop.ImageNetTensor;
import dev.egopose.domain.HandBox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code egopose bench preprocess}: per-frame cost of turning a 1408x1408 Aria JPEG with two hand boxes
 * into two model inputs, decode included, by the exact path (full decode, undistort to 512x512, crop)
 * and the fused path (reduced-scale decode, 1/4 by default, one remap per hand), and how far apart their crops are.
 */
@Command(
        name = "preprocess",
        mixinStandardHelpOptions = true,
        description = "Measure decode + undistort + crop per frame: exact path vs fused path.")
final class BenchPreprocessCommand implements Runnable {
    static final String SAMPLE_CALIBRATION = "/dev/egopose/camera/aria_factory_calibration_sample.json";
    private static final int SIZE = 1408;
    private static final List<HandBox> BOXES = List.of(
            new HandBox(288.72, 325.86, 449.42, 473.67), new HandBox(60.0, 250.0, 200.0, 380.0));

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--frames", defaultValue = "200", description = "Frames to time per path (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed frames first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--reduction", defaultValue = "4", description = "Decode scale divisor of the fused path: 1, 2, 4 or 8 (default ${DEFAULT-VALUE}).")
    int reduction;

    @Override
    public void run() {
        if (frames < 1 || warmup < 0) {
            throw new IllegalArgumentException("--frames must be at least 1 and --warmup at least 0");
        }
        OpenCvNative.load();
        RgbCalibration calibration = new CalibrationJson().parse(resource(SAMPLE_CALIBRATION), SAMPLE_CALIBRATION)
                .fittedTo(SIZE, SIZE);
        byte[] jpeg = syntheticJpeg();
        HandCropper exactCropper = new HandCropper(new UndistortionMapCache(1), 1);
        HandCropper fusedCropper = new HandCropper(new UndistortionMapCache(1), reduction);
        FrameDecoder decoder = new FrameDecoder();

        List<float[]> exactCrops = exactCropper.cropExact(jpeg, FrameOrientation.SENSOR, calibration, BOXES);
        List<float[]> fusedCrops = fusedCropper.cropFromFisheye(jpeg, FrameOrientation.SENSOR, calibration, BOXES);
        double meanAbsDiff = meanAbsDiff(exactCrops, fusedCrops, false);
        double contentDiff = meanAbsDiff(exactCrops, fusedCrops, true);
        long decodeNs = 0;
        long exactNs = 0;
        long fusedNs = 0;
        for (int i = -warmup; i < frames; i++) {
            long t0 = System.nanoTime();
            decoder.decodeBgr(jpeg, 1).release();
            long t1 = System.nanoTime();
            exactCropper.cropExact(jpeg, FrameOrientation.SENSOR, calibration, BOXES);
            long t2 = System.nanoTime();
            fusedCropper.cropFromFisheye(jpeg, FrameOrientation.SENSOR, calibration, BOXES);
            long t3 = System.nanoTime();
            if (i >= 0) {
                decodeNs += t1 - t0;
                exactNs += t2 - t1;
                fusedNs += t3 - t2;
            }
        }
        double decodeMs = decodeNs / 1e6 / frames;
        double exactMs = exactNs / 1e6 / frames;
        double fusedMs = fusedNs / 1e6 / frames;
        double speedup = exactMs / fusedMs;
        if (json) {
            System.out.printf(Locale.ROOT,
                    "{\"frames\": %d, \"jpeg_bytes\": %d, \"hands_per_frame\": %d, \"fused_reduction\": %d, \"decode_ms\": %.3f, "
                            + "\"exact_ms\": %.3f, \"fused_ms\": %.3f, \"speedup\": %.3f, \"mean_abs_diff\": %.3f, "
                            + "\"mean_abs_diff_content\": %.3f}%n",
                    frames, jpeg.length, BOXES.size(), reduction, decodeMs, exactMs, fusedMs, speedup, meanAbsDiff, contentDiff);
        } else {
            System.out.printf(Locale.ROOT, "preprocess, %d frames of %dx%d JPEG (%d KB), %d hands per frame, mean per frame:%n",
                    frames, SIZE, SIZE, jpeg.length / 1024, BOXES.size());
            System.out.printf(Locale.ROOT, "  full JPEG decode alone             %8.2f ms%n", decodeMs);
            System.out.printf(Locale.ROOT, "  exact: decode, undistort, crop     %8.2f ms%n", exactMs);
            System.out.printf(Locale.ROOT, "  fused: 1/%d decode, remap per hand  %8.2f ms%n", reduction, fusedMs);
            System.out.printf(Locale.ROOT, "  speedup                            %8.2f x%n", speedup);
            System.out.printf(Locale.ROOT, "  mean |exact - fused|               %8.2f levels of 255 (%.2f over non-black pixels)%n",
                    meanAbsDiff, contentDiff);
        }
    }

    /** A textured 1408x1408 frame (shading, stripes, edges, sensor-like noise), JPEG quality 90. */
    static byte[] syntheticJpeg() {
        byte[] px = new byte[SIZE * SIZE * 3];
        Random random = new Random(42);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double base = 120 + 60 * Math.sin(x / 97.0) * Math.cos(y / 131.0);
                double stripes = 30 * Math.sin((x + 2 * y) / 9.0);
                double block = ((x / 64 + y / 64) % 2 == 0) ? 25 : -25;
                int i = 3 * (y * SIZE + x);
                px[i] = clamp(base + stripes + block + random.nextGaussian() * 4);
                px[i + 1] = clamp(base - 0.5 * stripes + 20 * Math.sin(y / 23.0) + random.nextGaussian() * 4);
                px[i + 2] = clamp(255 - base - block + random.nextGaussian() * 4);
            }
        }
        Mat image = new Mat(SIZE, SIZE, CvType.CV_8UC3);
        MatOfByte out = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        try {
            image.put(0, 0, px);
            Imgcodecs.imencode(".jpg", image, out, params);
            return out.toArray();
        } finally {
            image.release();
            out.release();
            params.release();
        }
    }

    /**
     * Mean |a - b| in 8-bit levels over all crop values, or with {@code contentOnly} over the pixels
     * where at least one path has image content (not black in all three channels).
     */
    private static double meanAbsDiff(List<float[]> a, List<float[]> b, boolean contentOnly) {
        double sum = 0;
        long n = 0;
        int plane = ImageNetTensor.PLANE;
        for (int h = 0; h < a.size(); h++) {
            for (int p = 0; p < plane; p++) {
                double pixelSum = 0;
                boolean black = true;
                for (int c = 0; c < 3; c++) {
                    double x = ImageNetTensor.toLevel(a.get(h)[c * plane + p], c);
                    double y = ImageNetTensor.toLevel(b.get(h)[c * plane + p], c);
                    black &= Math.abs(x) < 0.5 && Math.abs(y) < 0.5;
                    pixelSum += Math.abs(x - y);
                }
                if (!contentOnly || !black) {
                    sum += pixelSum;
                    n += 3;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static String resource(String name) {
        try (InputStream in = BenchPreprocessCommand.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
