package dev.egopose.synth;

import dev.egopose.egoexo.GroundTruth;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where {@link SyntheticTakes#generate} put a data set laid out as Ego-Exo4D's:
 * {@code annotation/ego_pose_gt_anno_{val,test}_public.json}, {@code image/undistorted/<split>/<take>/<frame:06d>.jpg}
 * (512x512, the benchmark's {@code aria_img_dir}), {@code image/distorted/<split>/<take>/<frame:06d>.jpg}
 * (1408x1408 fisheye), {@code aria_calib_json/<take>.json} and {@code hand_tracking/<take>/hand_tracking_results.csv}
 * (frame n at device time 1 s + n / 30 s); plus the ground truth that was written.
 *
 * @param root the output folder
 * @param annotationVal the train/val-shaped gt_anno file (2D, 3D, boxes, validity)
 * @param annotationTest the test-shaped gt_anno file (boxes only)
 * @param undistortedImages the benchmark's {@code aria_img_dir}: holds {@code <split>/<take_name>/<frame:06d>.jpg}
 * @param distortedImages the same layout for the 1408x1408 fisheye frames
 * @param calibrations the folder of per-take calibration JSON files ({@code <take_name>.json})
 * @param handTracking MPS-style hand tracking per take ({@code <take_name>/hand_tracking_results.csv})
 * @param split the split folder name used under the image folders ({@code val})
 * @param takes the takes, in generation order
 * @param groundTruth what {@code annotationVal} holds
 */
public record SyntheticDataset(Path root, Path annotationVal, Path annotationTest, Path undistortedImages, Path distortedImages,
        Path calibrations, Path handTracking, String split, List<SyntheticTake> takes, GroundTruth groundTruth) {
    public SyntheticDataset {
        Objects.requireNonNull(root, "root");
        takes = List.copyOf(takes);
    }

    /** The undistorted 512x512 JPEG of one frame. */
    public Path undistortedImage(SyntheticTake take, int frameNumber) {
        return undistortedImages.resolve(split).resolve(take.name()).resolve(frameFile(frameNumber));
    }

    /** The distorted 1408x1408 JPEG of one frame. */
    public Path distortedImage(SyntheticTake take, int frameNumber) {
        return distortedImages.resolve(split).resolve(take.name()).resolve(frameFile(frameNumber));
    }

    /** The take's calibration JSON (projectaria format, the 2880x2880 factory calibration). */
    public Path calibration(SyntheticTake take) {
        return calibrations.resolve(take.name() + ".json");
    }

    /** {@code 000042.jpg}. */
    public static String frameFile(int frameNumber) {
        return String.format(java.util.Locale.ROOT, "%06d.jpg", frameNumber);
    }
}
