package dev.egopose.crop;

import dev.egopose.camera.FrameOrientation;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.UndistortionMap;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.domain.HandBox;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Hand crops as the POTTER baseline sees them: a {@code float[3 * 224 * 224]} CHW tensor per hand
 * (RGB, ImageNet-normalised), from
 * <ul>
 *   <li>an image that is already undistorted (the benchmark's 512x512 JPEGs): {@link #cropUndistorted};</li>
 *   <li>a distorted Aria frame, exactly as the benchmark: undistort to 512x512 pinhole, then crop
 *       ({@link #undistort}, {@link #cropExact});</li>
 *   <li>a distorted Aria frame, fused: one remap per hand straight from the fisheye frame to the crop,
 *       optionally from a reduced-scale JPEG decode ({@link #cropFromFisheye}).</li>
 * </ul>
 * Boxes are always in undistorted 512x512 pixels, as in the benchmark's JSON. Thread-safe; every
 * native buffer a call creates is released before it returns.
 */
public final class HandCropper {
    private static final float OUTSIDE = -1000f;
    private static final Scalar BLACK = new Scalar(0, 0, 0);

    private final UndistortionMapCache maps;
    private final int fusedReduction;
    private final FrameDecoder decoder = new FrameDecoder();
    private final ImageNetTensor tensor = new ImageNetTensor();

    /**
     * @param maps cache of undistortion maps, shared by all users of the same calibrations
     * @param fusedReduction scale at which {@link #cropFromFisheye(byte[], FrameOrientation, RgbCalibration, List)}
     *     decodes frames: 1 (full), 2, 4 or 8
     */
    public HandCropper(UndistortionMapCache maps, int fusedReduction) {
        if (fusedReduction != 1 && fusedReduction != 2 && fusedReduction != 4 && fusedReduction != 8) {
            throw new IllegalArgumentException("fused decode reduction must be 1, 2, 4 or 8, got " + fusedReduction);
        }
        OpenCvNative.load();
        this.maps = maps;
        this.fusedReduction = fusedReduction;
    }

    // ---- images that are already undistorted -------------------------------------------------

    /** The crop of {@code box} from an undistorted RGB image ({@code CV_8UC3}), exactly as the benchmark. */
    public float[] cropUndistorted(Mat rgb, HandBox box) {
        requireColour(rgb);
        return crop(rgb, box, ChannelOrder.RGB);
    }

    /** Decodes an undistorted JPEG/PNG and crops each box. */
    public List<float[]> cropUndistorted(byte[] encoded, List<HandBox> boxes) {
        try (MatScope scope = new MatScope()) {
            Mat bgr = scope.add(decoder.decodeBgr(encoded, 1));
            List<float[]> crops = new ArrayList<>(boxes.size());
            for (HandBox box : boxes) {
                crops.add(crop(bgr, box, ChannelOrder.BGR));
            }
            return crops;
        }
    }

    // ---- exact path: undistort the whole frame, then crop -----------------------------------

    /**
     * Undistorts a fisheye frame (sensor orientation, any channel order, {@code CV_8UC3}) to the
     * benchmark's 512x512 pinhole image, bilinear, black outside the 1.0 rad cone and the frame.
     *
     * @throws dev.egopose.camera.CalibrationException when the frame's size does not fit the calibration
     */
    public UndistortedFrame undistort(Mat frame, RgbCalibration calibration) {
        requireColour(frame);
        UndistortionMap map = maps.benchmark(calibration.fittedTo(frame.cols(), frame.rows()));
        Mat image = new Mat();
        try (MatScope scope = new MatScope()) {
            Mat table = scope.add(map.remapTableView());
            Imgproc.remap(frame, image, table, scope.mat(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, BLACK);
        } finally {
            Reference.reachabilityFence(map);
        }
        return new UndistortedFrame(image, map.validityMask());
    }

    /** The benchmark's path from encoded fisheye bytes: full decode, rotate if portrait, undistort, crop each box. */
    public List<float[]> cropExact(byte[] encoded, FrameOrientation orientation, RgbCalibration calibration, List<HandBox> boxes) {
        try (MatScope scope = new MatScope()) {
            Mat bgr = scope.add(FrameDecoder.toSensor(decoder.decodeBgr(encoded, 1), orientation));
            try (UndistortedFrame undistorted = undistort(bgr, calibration)) {
                List<float[]> crops = new ArrayList<>(boxes.size());
                for (HandBox box : boxes) {
                    crops.add(crop(undistorted.image(), box, ChannelOrder.BGR));
                }
                return crops;
            }
        }
    }

    // ---- fused path: one remap per hand from the fisheye frame ------------------------------

    /** The fused crop of {@code box} from a full-resolution fisheye RGB frame in sensor orientation. */
    public float[] cropFromFisheye(Mat rgb, RgbCalibration calibration, HandBox box) {
        requireColour(rgb);
        UndistortionMap map = maps.benchmark(calibration.fittedTo(rgb.cols(), rgb.rows()));
        Placement placement = new Placement(FrameOrientation.SENSOR, map.source(), 1.0, 1.0, rgb.cols(), rgb.rows());
        return fusedCrop(rgb, map, placement, box, ChannelOrder.RGB);
    }

    /**
     * Fused crops from encoded fisheye bytes: decoded at the configured reduced scale in stored
     * orientation; rotation and scale are folded into each crop's remap table. A frame decoded at
     * 1/r is taken to be r times its decoded size (Aria frames have even sizes).
     */
    public List<float[]> cropFromFisheye(byte[] encoded, FrameOrientation orientation, RgbCalibration calibration, List<HandBox> boxes) {
        try (MatScope scope = new MatScope()) {
            Mat bgr = scope.add(decoder.decodeBgr(encoded, fusedReduction));
            int storedWidth = bgr.cols() * fusedReduction;
            int storedHeight = bgr.rows() * fusedReduction;
            boolean portrait = orientation == FrameOrientation.PORTRAIT;
            RgbCalibration fitted = portrait
                    ? calibration.fittedTo(storedHeight, storedWidth)
                    : calibration.fittedTo(storedWidth, storedHeight);
            UndistortionMap map = maps.benchmark(fitted);
            Placement placement = new Placement(orientation, fitted,
                    (double) bgr.cols() / storedWidth, (double) bgr.rows() / storedHeight, bgr.cols(), bgr.rows());
            List<float[]> crops = new ArrayList<>(boxes.size());
            for (HandBox box : boxes) {
                crops.add(fusedCrop(bgr, map, placement, box, ChannelOrder.BGR));
            }
            return crops;
        }
    }

    /**
     * Where a sensor-orientation, full-resolution fisheye point lies in the decoded image: rotated into
     * storage orientation (portrait: sensor (x, y) is stored at (H - 1 - y, x)), then scaled with
     * pixel-centre alignment ({@code x' = s (x + 0.5) - 0.5}). Both are affine, so one 2x4 matrix over
     * (x, y, validity, 1).
     */
    private record Placement(FrameOrientation orientation, RgbCalibration sensor, double scaleX, double scaleY,
            int decodedWidth, int decodedHeight) {
        double[] matrix() {
            double offsetX = 0.5 * scaleX - 0.5;
            double offsetY = 0.5 * scaleY - 0.5;
            // columns: sensor x, sensor y, validity (ignored), 1
            if (orientation == FrameOrientation.PORTRAIT) {
                return new double[] {0, -scaleX, 0, scaleX * (sensor.height() - 1) + offsetX, scaleY, 0, 0, offsetY};
            }
            return new double[] {scaleX, 0, 0, offsetX, 0, scaleY, 0, offsetY};
        }
    }

    /**
     * One hand straight from the fisheye frame: the undistortion map's (source, validity) table is
     * resampled by the crop affine (so each crop pixel knows its fisheye source), moved into the decoded
     * image's orientation and scale, clamped to it (the exact path samples the frame's last pixel
     * there), and sent outside where the resampled validity is below one half; then a single bilinear
     * remap. All native, on 224x224.
     */
    private float[] fusedCrop(Mat image, UndistortionMap map, Placement placement, HandBox box, ChannelOrder order) {
        Size size = new Size(CropAffine.SIZE, CropAffine.SIZE);
        try (MatScope scope = new MatScope()) {
            Mat affine = scope.add(CropAffine.forBox(box).toMat());
            Mat resampled = scope.mat();
            Imgproc.warpAffine(scope.add(map.sourcesView()), resampled, affine, size, Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, BLACK);
            Mat place = scope.add(new Mat(2, 4, CvType.CV_64FC1));
            place.put(0, 0, placement.matrix());
            Mat table = scope.mat();
            Core.transform(resampled, table, place);
            Core.max(table, new Scalar(0, 0), table);
            Core.min(table, new Scalar(placement.decodedWidth() - 1, placement.decodedHeight() - 1), table);
            Mat validity = scope.mat();
            Core.extractChannel(resampled, validity, 2);
            Mat invalid = scope.mat();
            Core.compare(validity, new Scalar(0.5), invalid, Core.CMP_LT);
            table.setTo(new Scalar(OUTSIDE, OUTSIDE), invalid);
            Mat crop = scope.mat();
            Imgproc.remap(image, crop, table, scope.mat(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, BLACK);
            return tensor.toChw(crop, order);
        } finally {
            Reference.reachabilityFence(map);
        }
    }

    private float[] crop(Mat undistorted, HandBox box, ChannelOrder order) {
        try (MatScope scope = new MatScope()) {
            Mat matrix = scope.add(CropAffine.forBox(box).toMat());
            Mat crop = scope.mat();
            Imgproc.warpAffine(undistorted, crop, matrix, new Size(CropAffine.SIZE, CropAffine.SIZE),
                    Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, BLACK);
            return tensor.toChw(crop, order);
        }
    }

    private static void requireColour(Mat image) {
        if (image.empty() || image.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit 3-channel image, got " + image);
        }
    }
}
