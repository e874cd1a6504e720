package dev.egopose.crop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egopose.camera.CalibrationException;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.CameraReference;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.domain.HandBox;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

class HandCropperTest {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final HandBox EXAMPLE = new HandBox(288.72, 325.86, 449.42, 473.67);

    private static final RgbCalibration CAL_1408 = CameraReference.calibration1408();
    private static final HandCropper FULL = new HandCropper(new UndistortionMapCache(4), 1);
    private static Mat ramp;

    @BeforeAll
    static void makeRamp() {
        ramp = CropTestImages.rampRgb(1408);
    }

    @AfterAll
    static void releaseRamp() {
        ramp.release();
    }

    @Test
    void undistortedCropIsPixelExactAgainstOpenCvsOwnWarpAffine() {
        Mat image = CropTestImages.randomRgb(512, 512, 7);
        Mat matrix = new Mat(2, 3, CvType.CV_64FC1);
        Mat expected = new Mat();
        try {
            // the REFERENCE example's matrix, computed here from the formula, not by CropAffine
            double cx = (288.72 + 449.42) / 2;
            double cy = (325.86 + 473.67) / 2;
            double k = 224 / (1.25 * Math.max(449.42 - 288.72, 473.67 - 325.86));
            matrix.put(0, 0, k, 0, 112 - k * cx, 0, k, 112 - k * cy);
            Imgproc.warpAffine(image, expected, matrix, new Size(224, 224), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            byte[] px = new byte[224 * 224 * 3];
            expected.get(0, 0, px);
            float[] got = FULL.cropUndistorted(image, EXAMPLE);
            assertEquals(3 * 224 * 224, got.length);
            for (int i = 0; i < 224 * 224; i++) {
                for (int c = 0; c < 3; c++) {
                    float want = ((px[3 * i + c] & 0xff) / 255f - MEAN[c]) / STD[c];
                    assertEquals(want, got[c * 224 * 224 + i], 0f, "channel " + c + " pixel " + i);
                }
            }
        } finally {
            image.release();
            matrix.release();
            expected.release();
        }
    }

    @Test
    void tensorIsRgbChwAndImageNetNormalised() {
        Mat flat = new Mat(512, 512, CvType.CV_8UC3, new Scalar(255, 128, 0));
        try {
            float[] t = FULL.cropUndistorted(flat, new HandBox(100, 100, 300, 300));
            int centre = 112 * 224 + 112;
            assertEquals((1f - 0.485f) / 0.229f, t[centre], 1e-6f);
            assertEquals((128f / 255f - 0.456f) / 0.224f, t[224 * 224 + centre], 1e-6f);
            assertEquals((0f - 0.406f) / 0.225f, t[2 * 224 * 224 + centre], 1e-6f);
        } finally {
            flat.release();
        }
    }

    @Test
    void encodedBgrBytesGiveTheSameTensorAsTheRgbMat() {
        Mat image = CropTestImages.randomRgb(512, 512, 11);
        try {
            byte[] png = CropTestImages.encode(image, ".png", 95);
            List<float[]> fromBytes = FULL.cropUndistorted(png, List.of(EXAMPLE, new HandBox(0, 0, 50, 80)));
            assertArrayEquals(FULL.cropUndistorted(image, EXAMPLE), fromBytes.get(0));
            assertArrayEquals(FULL.cropUndistorted(image, new HandBox(0, 0, 50, 80)), fromBytes.get(1));
        } finally {
            image.release();
        }
    }

    @Test
    void undistortionOfRampMatchesNumpy() {
        try (UndistortedFrame frame = FULL.undistort(ramp, CAL_1408)) {
            assertEquals(512, frame.image().rows());
            int checked = 0;
            for (JsonNode s : CameraReference.root().get("undistorted_ramp")) {
                int x = s.get("pixel").get(0).asInt();
                int y = s.get("pixel").get(1).asInt();
                double[] rgb = CameraReference.doubles(s.get("rgb"));
                double[] got = frame.image().get(y, x);
                for (int c = 0; c < 3; c++) {
                    assertEquals(rgb[c], got[c], 1.0, "channel " + c + " at " + x + "," + y);
                }
                assertEquals(s.get("valid").asBoolean() ? 255 : 0, (int) frame.validMask().get(y, x)[0], "mask at " + x + "," + y);
                checked++;
            }
            assertTrue(checked > 300);
        }
    }

    @Test
    void exactAndFusedCropsOfRampMatchNumpy() {
        int exactChecked = 0;
        int fusedChecked = 0;
        int blackChecked = 0;
        for (JsonNode crop : CameraReference.root().get("crops")) {
            double[] b = CameraReference.doubles(crop.get("box"));
            HandBox box = new HandBox(b[0], b[1], b[2], b[3]);
            float[] exact;
            try (UndistortedFrame frame = FULL.undistort(ramp, CAL_1408)) {
                exact = FULL.cropUndistorted(frame.image(), box);
            }
            float[] fused = FULL.cropFromFisheye(ramp, CAL_1408, box);
            for (JsonNode s : crop.get("samples")) {
                int x = s.get("pixel").get(0).asInt();
                int y = s.get("pixel").get(1).asInt();
                double[] e = CameraReference.doubles(s.get("exact"));
                double[] f = CameraReference.doubles(s.get("fused"));
                for (int c = 0; c < 3; c++) {
                    if (s.get("interior").asBoolean()) {
                        assertEquals(e[c], CropTestImages.level(exact, c, x, y), 1.5, "exact ch " + c + " at " + x + "," + y + " box " + crop.get("box"));
                        exactChecked++;
                    }
                    if (s.get("interior").asBoolean()) {
                        // the sample's whole bilinear footprint in the undistorted image has content
                        assertEquals(f[c], CropTestImages.level(fused, c, x, y), 1.0, "fused ch " + c + " at " + x + "," + y + " box " + crop.get("box"));
                        fusedChecked++;
                    } else if (!s.get("valid").asBoolean() && clearlyOutside(crop.get("matrix"), x, y)) {
                        assertEquals(0.0, CropTestImages.level(fused, c, x, y), 1e-3, "fused outside at " + x + "," + y);
                        blackChecked++;
                    }
                }
            }
        }
        assertTrue(blackChecked > 300, "black samples checked " + blackChecked);
        assertTrue(exactChecked > 5000 && fusedChecked > 5000, exactChecked + " / " + fusedChecked);
    }

    /** Whether crop pixel (x, y) lands more than a pixel outside the 512x512 image or the 1.0 rad disc. */
    private static boolean clearlyOutside(JsonNode matrix, int x, int y) {
        double k = matrix.get(0).get(0).asDouble();
        double ux = (x - matrix.get(0).get(2).asDouble()) / k;
        double uy = (y - matrix.get(1).get(2).asDouble()) / k;
        return ux < -1 || uy < -1 || ux > 512 || uy > 512 || Math.hypot(ux - 255.5, uy - 255.5) > 150 * Math.tan(1.0) + 1.5;
    }

    @Test
    void portraitFramesAreRotatedCounterClockwiseBackToSensorOrientation() {
        int n = 1408;
        byte[] sensor = new byte[n * n * 3];
        ramp.get(0, 0, sensor);
        // stored (portrait) pixel (x, y) = sensor pixel (y, n - 1 - x): sensor (xs, ys) is stored at (n - 1 - ys, xs)
        byte[] stored = new byte[sensor.length];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                System.arraycopy(sensor, 3 * ((n - 1 - x) * n + y), stored, 3 * (y * n + x), 3);
            }
        }
        Mat portrait = new Mat(n, n, CvType.CV_8UC3);
        portrait.put(0, 0, stored);
        try {
            byte[] portraitPng = CropTestImages.encode(portrait, ".png", 95);
            byte[] sensorPng = CropTestImages.encode(ramp, ".png", 95);
            Mat decoded = new FrameDecoder().decodeRgb(portraitPng, FrameOrientation.PORTRAIT);
            byte[] back = new byte[sensor.length];
            decoded.get(0, 0, back);
            decoded.release();
            assertArrayEquals(sensor, back);

            List<HandBox> boxes = List.of(EXAMPLE, new HandBox(40, 250, 190, 370));
            List<float[]> exactPortrait = FULL.cropExact(portraitPng, FrameOrientation.PORTRAIT, CAL_1408, boxes);
            List<float[]> exactSensor = FULL.cropExact(sensorPng, FrameOrientation.SENSOR, CAL_1408, boxes);
            List<float[]> fusedPortrait = FULL.cropFromFisheye(portraitPng, FrameOrientation.PORTRAIT, CAL_1408, boxes);
            List<float[]> fusedSensor = FULL.cropFromFisheye(sensorPng, FrameOrientation.SENSOR, CAL_1408, boxes);
            for (int h = 0; h < boxes.size(); h++) {
                assertArrayEquals(exactSensor.get(h), exactPortrait.get(h));
                assertTrue(meanAbsLevels(fusedSensor.get(h), fusedPortrait.get(h)) < 0.05);
                assertTrue(maxAbsLevels(fusedSensor.get(h), fusedPortrait.get(h)) <= 1.01);
            }
        } finally {
            portrait.release();
        }
    }

    @Test
    void reducedDecodeFusedCropStaysCloseToTheExactPath() {
        Mat textured = texturedFrame();
        try {
            byte[] jpeg = CropTestImages.encode(textured, ".jpg", 90);
            HandCropper half = new HandCropper(new UndistortionMapCache(2), 2);
            RgbCalibration factory = new CalibrationJson().parse(CameraReference.sampleCalibrationText(), "sample");
            List<HandBox> boxes = List.of(EXAMPLE, new HandBox(60, 250, 200, 380));
            List<float[]> exact = FULL.cropExact(jpeg, FrameOrientation.SENSOR, factory, boxes);
            List<float[]> fused = half.cropFromFisheye(jpeg, FrameOrientation.SENSOR, factory, boxes);
            for (int h = 0; h < boxes.size(); h++) {
                double diff = meanAbsLevels(exact.get(h), fused.get(h));
                assertTrue(diff <= 4, "mean abs diff " + diff + " levels for box " + boxes.get(h));
            }
        } finally {
            textured.release();
        }
    }

    @Test
    void undecodableBytesAreCountedNeverQuoted() {
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> FULL.cropExact(new byte[] {1, 2, 3, 4, 5}, FrameOrientation.SENSOR, CAL_1408, List.of(EXAMPLE)));
        assertTrue(e.getMessage().contains("5 bytes") && !e.getMessage().contains("0102030405"), e.getMessage());
        assertThrows(ImageDecodeException.class, () -> FULL.cropUndistorted(new byte[0], List.of(EXAMPLE)));
    }

    @Test
    void frameThatDoesNotFitTheCalibrationIsRefusedNamingBothSizes() {
        Mat undistorted = CropTestImages.randomRgb(512, 512, 3);
        try {
            byte[] png = CropTestImages.encode(undistorted, ".png", 95);
            RgbCalibration factory = new CalibrationJson().parse(CameraReference.sampleCalibrationText(), "sample");
            CalibrationException exact = assertThrows(CalibrationException.class,
                    () -> FULL.cropExact(png, FrameOrientation.SENSOR, factory, List.of(EXAMPLE)));
            assertTrue(exact.getMessage().contains("512x512") && exact.getMessage().contains("2880x2880"), exact.getMessage());
            assertThrows(CalibrationException.class, () -> FULL.cropFromFisheye(undistorted, factory, EXAMPLE));
        } finally {
            undistorted.release();
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new HandCropper(new UndistortionMapCache(1), 3));
        Mat grey = new Mat(512, 512, CvType.CV_8UC1);
        try {
            assertThrows(IllegalArgumentException.class, () -> FULL.cropUndistorted(grey, EXAMPLE));
        } finally {
            grey.release();
        }
    }

    /** Smooth shading plus mid-frequency stripes and a little noise: something a camera could see. */
    static Mat texturedFrame() {
        int n = 1408;
        byte[] px = new byte[n * n * 3];
        java.util.Random random = new java.util.Random(5);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double base = 120 + 60 * Math.sin(x / 97.0) * Math.cos(y / 131.0);
                double stripes = 30 * Math.sin((x + 2 * y) / 9.0);
                int i = 3 * (y * n + x);
                px[i] = (byte) clamp(base + stripes + random.nextGaussian() * 4);
                px[i + 1] = (byte) clamp(base - stripes * 0.5 + 20 * Math.sin(y / 23.0) + random.nextGaussian() * 4);
                px[i + 2] = (byte) clamp(255 - base + random.nextGaussian() * 4);
            }
        }
        Mat m = new Mat(n, n, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static double meanAbsLevels(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            int c = i / ImageNetTensor.PLANE;
            sum += Math.abs(ImageNetTensor.toLevel(a[i], c) - ImageNetTensor.toLevel(b[i], c));
        }
        return sum / a.length;
    }

    private static double maxAbsLevels(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            int c = i / ImageNetTensor.PLANE;
            max = Math.max(max, Math.abs(ImageNetTensor.toLevel(a[i], c) - ImageNetTensor.toLevel(b[i], c)));
        }
        return max;
    }
}
