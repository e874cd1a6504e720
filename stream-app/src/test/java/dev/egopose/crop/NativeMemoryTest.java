package dev.egopose.crop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.camera.CameraReference;
import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.domain.HandBox;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * 10,000 crops through every path (decode, rotate, undistort, exact crop, fused crop) must not grow
 * native memory. Measured as resident set size (VmRSS of /proc/self/status) minus the committed Java
 * heap, so heap resizing does not count. A 176x176 frame (the calibration fitted to 1/8 of 1408)
 * keeps the test fast; the code path is the same as for 1408.
 */
class NativeMemoryTest {
    private static final int CROPS = 10_000;
    /**
     * Over 10,000 crops; each half may grow by at most half of this. Measured: about +1 MB or less when
     * every Mat is released (single windows up to +20 MB on a loaded machine, hence the two windows);
     * a probe keeping 3 KB of native memory per frame grew +13.9 and +4.8 MB and failed.
     */
    private static final long ALLOWED_GROWTH_MB = 6;

    @Test
    void tenThousandCropsDoNotGrowNativeMemory() throws IOException {
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.isReadable(status), "needs Linux /proc");
        RgbCalibration calibration = CameraReference.calibration1408();
        HandCropper cropper = new HandCropper(new UndistortionMapCache(2), 1);
        Mat textured = HandCropperTest.texturedFrame();
        Mat small = new Mat();
        byte[] jpeg;
        byte[] portraitPng;
        try {
            org.opencv.imgproc.Imgproc.resize(textured, small, new org.opencv.core.Size(176, 176), 0, 0,
                    org.opencv.imgproc.Imgproc.INTER_AREA);
            jpeg = CropTestImages.encode(small, ".jpg", 90);
            org.opencv.core.Core.rotate(small, small, org.opencv.core.Core.ROTATE_90_CLOCKWISE);
            portraitPng = CropTestImages.encode(small, ".png", 95);
        } finally {
            textured.release();
            small.release();
        }
        List<HandBox> boxes = List.of(new HandBox(288.72, 325.86, 449.42, 473.67), new HandBox(60, 250, 200, 380));

        run(cropper, calibration, jpeg, portraitPng, boxes, 2_000);
        // two equal windows: a leak grows native memory in both, while the JIT's and malloc's own
        // one-off growth (later on a loaded machine) lands in one of them
        long first = growthKb(status, () -> run(cropper, calibration, jpeg, portraitPng, boxes, CROPS / 2));
        long second = growthKb(status, () -> run(cropper, calibration, jpeg, portraitPng, boxes, CROPS / 2));
        System.out.printf("native memory over 2 x %d crops: RSS minus committed heap grew %+.1f MB, then %+.1f MB%n",
                CROPS / 2, first / 1024.0, second / 1024.0);
        assertTrue(Math.min(first, second) < ALLOWED_GROWTH_MB * 1024 / 2,
                "native memory grew by " + first / 1024 + " MB and " + second / 1024 + " MB over two windows of " + CROPS / 2 + " crops");
    }

    /** How much resident memory beyond the committed heap grew while {@code work} ran. */
    private static long growthKb(Path status, Runnable work) throws IOException {
        long rssBefore = rssKb(status);
        long heapBefore = committedHeapKb();
        work.run();
        return (rssKb(status) - committedHeapKb()) - (rssBefore - heapBefore);
    }

    /** Crops {@code crops} hands, cycling through the exact and fused paths in both orientations. */
    private static void run(HandCropper cropper, RgbCalibration calibration, byte[] jpeg, byte[] portraitPng,
            List<HandBox> boxes, int crops) {
        int done = 0;
        for (int frame = 0; done < crops; frame++) {
            List<float[]> out = switch (frame % 4) {
                case 0 -> cropper.cropExact(jpeg, FrameOrientation.SENSOR, calibration, boxes);
                case 1 -> cropper.cropFromFisheye(jpeg, FrameOrientation.SENSOR, calibration, boxes);
                case 2 -> cropper.cropExact(portraitPng, FrameOrientation.PORTRAIT, calibration, boxes);
                default -> cropper.cropFromFisheye(portraitPng, FrameOrientation.PORTRAIT, calibration, boxes);
            };
            done += out.size();
        }
    }

    static long rssKb(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in " + status);
    }

    private static long committedHeapKb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    }
}
