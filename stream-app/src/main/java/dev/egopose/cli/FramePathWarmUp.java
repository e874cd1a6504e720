package dev.egopose.cli;

import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.Fisheye624;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.domain.ImageHeader;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.CropMode;
import dev.egopose.domain.HandBox;
import dev.egopose.model.Batcher;
import dev.egopose.synth.SyntheticTakes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Pays the frame path's first-call costs before the first real frame arrives: a noise fisheye frame
 * goes a few times through the image header walk, the JPEG decode, the configured crop and the
 * batcher (the JIT, OpenCV's decoder and remap set-up, libtorch's profiling runs at batch 2), each
 * time with a slightly different copy of the bundled sample calibration, so that building an
 * undistortion map is compiled too (a new headset's first frame builds one: about 200 ms cold,
 * 25 ms warm). The crops come from a cropper of its own, so no real calibration's map is evicted.
 */
final class FramePathWarmUp {
    private static final int SIZE = 1408;
    private static final List<HandBox> BOXES = List.of(new HandBox(140, 220, 290, 370), new HandBox(250, 220, 400, 370));

    private FramePathWarmUp() {}

    /** Runs {@code rounds} frames through; returns the milliseconds it took. */
    static long run(int fusedReduction, Batcher batcher, CropMode mode, int rounds) {
        long start = System.nanoTime();
        HandCropper cropper = new HandCropper(new UndistortionMapCache(1), fusedReduction); // loads OpenCV
        byte[] jpeg = noiseJpeg();
        RgbCalibration sample = new CalibrationJson().parse(sampleCalibration(), SyntheticTakes.CALIBRATION_RESOURCE, SIZE, SIZE);
        for (int i = 0; i < rounds; i++) {
            double[] params = sample.model().params();
            params[0] += 0.25 * i;
            RgbCalibration calibration = new RgbCalibration(new Fisheye624(params), SIZE, SIZE);
            ImageHeader.read(jpeg);
            List<float[]> crops = mode == CropMode.EXACT
                    ? cropper.cropExact(jpeg, FrameOrientation.SENSOR, calibration, BOXES)
                    : cropper.cropFromFisheye(jpeg, FrameOrientation.SENSOR, calibration, BOXES);
            batcher.predict(crops);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static byte[] noiseJpeg() {
        Mat noise = new Mat(SIZE, SIZE, CvType.CV_8UC3);
        MatOfByte encoded = new MatOfByte();
        try {
            Core.randu(noise, 0, 255);
            Imgcodecs.imencode(".jpg", noise, encoded);
            return encoded.toArray();
        } finally {
            noise.release();
            encoded.release();
        }
    }

    private static String sampleCalibration() {
        try (InputStream in = FramePathWarmUp.class.getResourceAsStream(SyntheticTakes.CALIBRATION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + SyntheticTakes.CALIBRATION_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
