package dev.egopose.replay;

import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.RigidTransform;
import dev.egopose.handtrack.MpsHandTrackingCsv;
import dev.egopose.handtrack.TrackingSample;
import dev.egopose.handtrack.TrackingTimeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Aria hand tracking for the frames of replayed takes. Per take: its MPS samples, the RGB camera's
 * pose from the take's calibration JSON, and each frame's device time, from a frame-times file
 * ({@code frame_number,timestamp_us} lines) or from a frame rate with frame 0 at a start time (by
 * default the take's first tracking sample). A frame gets the sample nearest to its time, if one
 * lies within the tolerance.
 *
 * <p>{@code tracking} is one CSV for every take, or a folder holding, per take name, the first of
 * {@code <take>/hand_tracking_results.csv}, {@code <take>/wrist_and_palm_poses.csv},
 * {@code <take>/hand_tracking/hand_tracking_results.csv}, {@code <take>.csv}. {@code frameTimes}
 * likewise: one file, or a folder of {@code <take>.csv}.
 */
public final class HandTrackingSource {
    private final Path tracking;
    private final Path calibrationDir;
    private final Path frameTimes;
    private final double frameRate;
    private final Long startUs;
    private final long toleranceUs;
    private final Map<String, TrackingTimeline> timelines = new HashMap<>();
    private final Map<String, RigidTransform> poses = new HashMap<>();
    private final Map<String, Map<Integer, Long>> times = new HashMap<>();

    /**
     * @param frameTimes  a file or folder of frame times, or null to use {@code frameRate} and {@code startUs}
     * @param startUs     device time of frame 0, or null for the take's first tracking sample
     */
    public HandTrackingSource(Path tracking, Path calibrationDir, Path frameTimes, double frameRate, Long startUs, long toleranceUs) {
        if (!Files.exists(tracking)) {
            throw new IllegalArgumentException("hand tracking " + tracking + " does not exist");
        }
        if (calibrationDir == null) {
            throw new IllegalArgumentException("hand tracking needs the takes' calibration JSONs (--calib) for the RGB camera's T_Device_Camera");
        }
        if (frameTimes == null && !(frameRate > 0)) {
            throw new IllegalArgumentException("frame rate must be positive, got " + frameRate);
        }
        this.tracking = tracking;
        this.calibrationDir = calibrationDir;
        this.frameTimes = frameTimes;
        this.frameRate = frameRate;
        this.startUs = startUs;
        this.toleranceUs = toleranceUs;
    }

    /** The tracking sample of a frame, if one lies within the tolerance of its device time. */
    public Optional<TrackingSample> sample(String takeName, int frameNumber) {
        TrackingTimeline timeline = timelines.computeIfAbsent(takeName, name -> new TrackingTimeline(MpsHandTrackingCsv.read(trackingFile(name))));
        return deviceTimeUs(takeName, frameNumber, timeline).flatMap(t -> timeline.nearest(t, toleranceUs));
    }

    /** The RGB camera's pose in the device frame, from the take's calibration JSON. */
    public RigidTransform deviceFromCamera(String takeName) {
        return poses.computeIfAbsent(takeName, name -> {
            Path file = calibrationDir.resolve(name + ".json");
            return new CalibrationJson().readDeviceFromCamera(file).orElseThrow(() -> new IllegalArgumentException(
                    file + ": camera-rgb has no T_Device_Camera, so the take's hand tracking cannot be projected"));
        });
    }

    private Optional<Long> deviceTimeUs(String takeName, int frameNumber, TrackingTimeline timeline) {
        if (frameTimes != null) {
            return Optional.ofNullable(times.computeIfAbsent(takeName, name -> readFrameTimes(perTake(frameTimes, name, name + ".csv"))).get(frameNumber));
        }
        long zero = startUs != null ? startUs : timeline.size() == 0 ? 0 : timeline.first().timeUs();
        return Optional.of(zero + Math.round(frameNumber * 1e6 / frameRate));
    }

    private Path trackingFile(String takeName) {
        if (Files.isRegularFile(tracking)) {
            return tracking;
        }
        for (String candidate : List.of(takeName + "/hand_tracking_results.csv", takeName + "/wrist_and_palm_poses.csv",
                takeName + "/hand_tracking/hand_tracking_results.csv", takeName + ".csv")) {
            Path file = tracking.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalArgumentException("no hand tracking for take " + takeName + " under " + tracking
                + " (looked for " + takeName + "/hand_tracking_results.csv, " + takeName + "/wrist_and_palm_poses.csv, ...)");
    }

    private static Path perTake(Path location, String takeName, String file) {
        return Files.isDirectory(location) ? location.resolve(file) : location;
    }

    private static Map<Integer, Long> readFrameTimes(Path file) {
        Map<Integer, Long> out = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String[] parts = line.strip().split(",");
                if (line.isBlank() || (number == 1 && !parts[0].strip().matches("-?\\d+"))) {
                    continue; // blank line or header
                }
                if (parts.length != 2) {
                    throw new IllegalArgumentException(file + ": line " + number + ": expected frame_number,timestamp_us");
                }
                try {
                    out.put(Integer.parseInt(parts[0].strip()), Long.parseLong(parts[1].strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ": line " + number + ": '" + line.strip() + "' is not frame_number,timestamp_us");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read frame times " + file + ": " + e.getMessage());
        }
        return out;
    }
}
