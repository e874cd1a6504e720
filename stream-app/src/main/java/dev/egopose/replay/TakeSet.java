package dev.egopose.replay;

import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.egoexo.TakeAnnotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The frames of a take set in the Ego-Exo4D layout: a gt_anno JSON of any split (boxes per hand)
 * and the folder of frames, {@code images/{split}/{take_name}/{frame:06d}.jpg} (or without the split
 * level). Frames are either the benchmark's undistorted 512x512 images or distorted Aria frames with
 * a per-take calibration JSON ({@code calib/{take_name}.json}).
 */
public final class TakeSet {
    private static final Pattern SPLIT = Pattern.compile("ego_pose_gt_anno_([a-z]+)_public\\.json");

    private final GroundTruth annotation;
    private final Path images;
    private final String split;
    private final Path calibrationDir;
    private final Map<String, RgbCalibration> calibrations = new HashMap<>();

    private TakeSet(GroundTruth annotation, Path images, String split, Path calibrationDir) {
        this.annotation = annotation;
        this.images = images;
        this.split = split;
        this.calibrationDir = calibrationDir;
    }

    /**
     * @param anno           a gt_anno JSON (train, val or test format)
     * @param images         the frames folder
     * @param split          the split folder under {@code images}; null = taken from the annotation's file name
     * @param calibrationDir per-take calibration JSONs for distorted frames; null = frames are undistorted
     */
    public static TakeSet open(Path anno, Path images, String split, Path calibrationDir) throws IOException {
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("images folder " + images + " does not exist");
        }
        if (calibrationDir != null && !Files.isDirectory(calibrationDir)) {
            throw new IllegalArgumentException("calibration folder " + calibrationDir + " does not exist");
        }
        String splitName = split;
        if (splitName == null) {
            Matcher m = SPLIT.matcher(anno.getFileName().toString());
            splitName = m.matches() ? m.group(1) : "";
        }
        return new TakeSet(new GtAnnoReader().read(anno), images, splitName, calibrationDir);
    }

    public GroundTruth annotation() {
        return annotation;
    }

    /** Whether frames are distorted fisheye frames (with calibrations) rather than undistorted images. */
    public boolean distorted() {
        return calibrationDir != null;
    }

    /**
     * The frames to replay, take by take (ordered by uid), frames in numeric order.
     *
     * @param takes uids or names to keep; empty = all
     * @param limit at most this many frames; 0 = no limit
     */
    public List<ReplayFrame> frames(Set<String> takes, int limit) {
        List<ReplayFrame> out = new ArrayList<>();
        for (TakeAnnotation take : annotation.takes().values()) {
            String name = take.takeName().orElse(take.takeUid());
            if (!takes.isEmpty() && !takes.contains(take.takeUid()) && !takes.contains(name)) {
                continue;
            }
            for (FrameAnnotation frame : take.frames().values()) {
                if (limit > 0 && out.size() >= limit) {
                    return out;
                }
                Map<HandSide, HandBox> boxes = new EnumMap<>(HandSide.class);
                for (HandSide side : HandSide.values()) {
                    frame.hand(side).box().ifPresent(box -> boxes.put(side, box));
                }
                out.add(new ReplayFrame(take.takeUid(), name, frame.frameNumber(), imagePath(name, frame.frameNumber()), boxes));
            }
        }
        return out;
    }

    /** Where a frame's image should be: under the split folder if there is one, else directly under the take. */
    Path imagePath(String takeName, int frameNumber) {
        String file = String.format("%06d.jpg", frameNumber);
        Path withSplit = split.isEmpty() ? null : images.resolve(split).resolve(takeName).resolve(file);
        if (withSplit != null && Files.exists(withSplit)) {
            return withSplit;
        }
        Path flat = images.resolve(takeName).resolve(file);
        return Files.exists(flat) || withSplit == null ? flat : withSplit;
    }

    /** The calibration of a take's distorted frames, read once; empty for undistorted frames. */
    public Optional<RgbCalibration> calibration(String takeName) {
        if (calibrationDir == null) {
            return Optional.empty();
        }
        return Optional.of(calibrations.computeIfAbsent(takeName,
                name -> new CalibrationJson().read(calibrationDir.resolve(name + ".json"))));
    }
}
