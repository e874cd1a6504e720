package dev.egopose.synth;

import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.PinholeCamera;
import dev.egopose.camera.RgbCalibration;
import dev.egopose.camera.RigidTransform;
import dev.egopose.handtrack.BenchmarkLandmarks;
import dev.egopose.handtrack.MpsHandTrackingWriter;
import dev.egopose.handtrack.TrackedHand;
import dev.egopose.handtrack.TrackingSample;
import dev.egopose.camera.UndistortionMap;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.FrameAnnotation;
import dev.egopose.egoexo.FrameMetadata;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoWriter;
import dev.egopose.egoexo.HandAnnotation;
import dev.egopose.egoexo.TakeAnnotation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Generates synthetic takes with exact ground truth in the Ego-Exo4D layout (see {@link SyntheticDataset}).
 * Each take shows a right and a left hand (a {@link HandSkeleton} moved by a seeded {@link HandMotion},
 * drawn as a {@link HandBody}) in front of a {@link Backdrop}. Both images of a frame are ray-cast from
 * the same 3D scene: the 1408x1408 fisheye frame through the Aria Fisheye624 model (the sample factory
 * calibration, fitted 2880 -> 1408), and the 512x512 undistorted image through the benchmark's pinhole
 * camera, independently (the pinhole image is not made by undistorting the fisheye one). The 3D ground
 * truth is the skeleton itself, so it is exact by construction.
 *
 * <p>Deterministic: the same arguments give byte-identical annotation files (and images). Frames are
 * rendered in parallel.
 */
public final class SyntheticTakes {
    /** The factory calibration shipped with the application (projectaria JSON, 2880x2880). */
    public static final String CALIBRATION_RESOURCE = "/dev/egopose/camera/aria_factory_calibration_sample.json";
    public static final String SPLIT = "val";
    public static final int JPEG_QUALITY = 95;

    private final RgbCalibration calibration;
    private final String calibrationText;
    private final RigidTransform deviceFromCamera;
    /** Device time of frame 0 of every synthetic take, microseconds. */
    public static final long FRAME_ZERO_US = 1_000_000;
    public static final double FRAMES_PER_SECOND = 30;
    private final RayGrid fisheyeRays;
    private final RayGrid pinholeRays;
    private final HandSkeleton skeleton = new HandSkeleton();
    private final HandAnnotator annotator;

    /** Loads the shipped calibration and computes both cameras' rays (about a second). */
    public SyntheticTakes() {
        OpenCvNative.load();
        this.calibrationText = readResource(CALIBRATION_RESOURCE);
        RgbCalibration factory = new CalibrationJson().parse(calibrationText, CALIBRATION_RESOURCE);
        this.deviceFromCamera = new CalibrationJson().parseDeviceFromCamera(calibrationText, CALIBRATION_RESOURCE).orElseThrow();
        this.calibration = factory.fittedTo(RgbCalibration.RECORDING, RgbCalibration.RECORDING);
        this.fisheyeRays = RayGrid.fisheye(calibration);
        this.pinholeRays = RayGrid.pinhole(PinholeCamera.BENCHMARK, UndistortionMap.benchmark(calibration));
        this.annotator = HandAnnotator.benchmark(calibration);
    }

    /** Generates {@code takes} takes of {@code frames} frames each under {@code outDir}. */
    public static SyntheticDataset generate(Path outDir, int frames, int takes, long seed) throws IOException {
        return new SyntheticTakes().write(outDir, frames, takes, seed, () -> { });
    }

    /** The fisheye calibration the frames are rendered with (fitted to 1408x1408). */
    public RgbCalibration calibration() {
        return calibration;
    }

    /** A take's uid: a name-based UUID of the seed and the take's index. */
    public static String takeUid(long seed, int take) {
        return UUID.nameUUIDFromBytes(("egopose-synth/" + seed + "/" + take).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A take's name: {@code synth_<seed>_<take>}. */
    public static String takeName(long seed, int take) {
        return "synth_" + seed + "_" + take;
    }

    /**
     * Writes the data set; {@code frameDone} runs once per rendered frame (from any thread).
     *
     * @throws IllegalArgumentException when {@code frames} or {@code takes} is not positive
     */
    public SyntheticDataset write(Path outDir, int frames, int takes, long seed, Runnable frameDone) throws IOException {
        if (frames < 1 || takes < 1) {
            throw new IllegalArgumentException("need at least one take and one frame, got takes=" + takes + " frames=" + frames);
        }
        Path root = outDir.toAbsolutePath();
        Path annotation = root.resolve("annotation");
        Path undistorted = root.resolve("image").resolve("undistorted");
        Path distorted = root.resolve("image").resolve("distorted");
        Path calibrations = root.resolve("aria_calib_json");
        Path handTracking = root.resolve("hand_tracking");
        Files.createDirectories(annotation);
        Files.createDirectories(calibrations);
        List<SyntheticTake> made = new ArrayList<>();
        TreeMap<String, TakeAnnotation> truth = new TreeMap<>();
        for (int k = 0; k < takes; k++) {
            SyntheticTake take = new SyntheticTake(takeUid(seed, k), takeName(seed, k), IntStream.range(0, frames).boxed().toList());
            Path undistortedDir = Files.createDirectories(undistorted.resolve(SPLIT).resolve(take.name()));
            Path distortedDir = Files.createDirectories(distorted.resolve(SPLIT).resolve(take.name()));
            TakeScene scene = new TakeScene(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k));
            TreeMap<Integer, FrameAnnotation> annotated = new TreeMap<>();
            for (int frame : take.frameNumbers()) {
                annotated.put(frame, annotate(take, frame, scene));
            }
            truth.put(take.uid(), new TakeAnnotation(take.uid(), annotated));
            try {
                take.frameNumbers().parallelStream().forEach(frame -> {
                    renderFrame(scene, frame, distortedDir, undistortedDir);
                    frameDone.run();
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Files.writeString(calibrations.resolve(take.name() + ".json"), calibrationText, StandardCharsets.UTF_8);
            writeHandTracking(take, scene, Files.createDirectories(handTracking.resolve(take.name())));
            made.add(take);
        }
        GroundTruth groundTruth = new GroundTruth(truth);
        GtAnnoWriter writer = new GtAnnoWriter();
        Path val = annotation.resolve("ego_pose_gt_anno_val_public.json");
        Path test = annotation.resolve("ego_pose_gt_anno_test_public.json");
        writer.write(groundTruth, GtAnnoWriter.Shape.TRAIN_VAL, val);
        writer.write(groundTruth, GtAnnoWriter.Shape.TEST, test);
        return new SyntheticDataset(root, val, test, undistorted, distorted, calibrations, handTracking, SPLIT, made, groundTruth);
    }

    /**
     * MPS-style {@code hand_tracking_results.csv} of a take from its exact skeletons, moved into the
     * device frame with the calibration's T_Device_Camera; frame n is tracked at device time
     * {@link #FRAME_ZERO_US} + n / 30 s (confidence 1: every synthetic hand is fully visible).
     */
    private void writeHandTracking(SyntheticTake take, TakeScene scene, Path folder) throws IOException {
        List<TrackingSample> samples = new ArrayList<>();
        for (int frame : take.frameNumbers()) {
            List<TrackedHand> hands = new ArrayList<>();
            for (HandSide side : HandSide.values()) {
                double[] landmarks = BenchmarkLandmarks.toMps(joints(scene, side, frame));
                for (int i = 0; i < TrackedHand.LANDMARKS; i++) {
                    double[] device = deviceFromCamera.apply(new double[] {landmarks[3 * i], landmarks[3 * i + 1], landmarks[3 * i + 2]});
                    System.arraycopy(device, 0, landmarks, 3 * i, 3);
                }
                hands.add(TrackedHand.ofLandmarks(side, 1.0, landmarks));
            }
            samples.add(new TrackingSample(frameTimeUs(frame), hands));
        }
        MpsHandTrackingWriter.write(samples, folder.resolve("hand_tracking_results.csv"));
    }

    /** Device time of a synthetic frame, microseconds (30 frames per second from {@link #FRAME_ZERO_US}). */
    public static long frameTimeUs(int frame) {
        return FRAME_ZERO_US + Math.round(frame * 1e6 / FRAMES_PER_SECOND);
    }

    /** The exact 3D joints (metres, camera frame) of one hand of a take's scene at a frame. */
    Joints3d joints(TakeScene scene, HandSide side, int frame) {
        HandState state = scene.motion(side).at(frame);
        return skeleton.place(skeleton.local(state.articulation()), side, state.wrist(), state.rotation());
    }

    private FrameAnnotation annotate(SyntheticTake take, int frame, TakeScene scene) {
        HandAnnotation left = annotator.annotate(joints(scene, HandSide.LEFT, frame));
        HandAnnotation right = annotator.annotate(joints(scene, HandSide.RIGHT, frame));
        return new FrameAnnotation(frame, left, right, Optional.of(new FrameMetadata(take.uid(), take.name(), frame)));
    }

    private void renderFrame(TakeScene scene, int frame, Path distortedDir, Path undistortedDir) {
        List<Capsule> capsules = new ArrayList<>();
        for (HandSide side : new HandSide[] {HandSide.RIGHT, HandSide.LEFT}) {
            HandState state = scene.motion(side).at(frame);
            double[] r = state.rotation();
            double[] forward = {r[2], r[5], r[8]};
            double[] back = {-r[1], -r[4], -r[7]};
            capsules.addAll(scene.body().capsules(joints(scene, side, frame), forward, back));
        }
        String file = SyntheticDataset.frameFile(frame);
        writeJpeg(scene.fisheye().render(capsules), scene.fisheye().width(), scene.fisheye().height(), distortedDir.resolve(file));
        writeJpeg(scene.pinhole().render(capsules), scene.pinhole().width(), scene.pinhole().height(), undistortedDir.resolve(file));
    }

    private static void writeJpeg(byte[] bgr, int width, int height, Path target) {
        Mat image = new Mat(height, width, CvType.CV_8UC3);
        MatOfByte encoded = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY);
        try {
            image.put(0, 0, bgr);
            if (!Imgcodecs.imencode(".jpg", image, encoded, params)) {
                throw new UncheckedIOException(new IOException("OpenCV could not encode " + target + " as JPEG"));
            }
            Files.write(target, encoded.toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write " + target + ": " + e.getMessage(), e));
        } finally {
            image.release();
            encoded.release();
            params.release();
        }
    }

    private static String readResource(String name) {
        try (InputStream in = SyntheticTakes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the application jar lacks its calibration resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything drawn from a take's seed: the hands' motion, their colours, and the backdrop per camera. */
    final class TakeScene {
        private final HandMotion right;
        private final HandMotion left;
        private final HandBody body;
        private final SceneRenderer fisheye;
        private final SceneRenderer pinhole;

        TakeScene(SplittableRandom random) {
            right = new HandMotion(HandSide.RIGHT, random.split());
            left = new HandMotion(HandSide.LEFT, random.split());
            SplittableRandom colours = random.split();
            double tone = colours.nextDouble();
            Capsule.Albedo skin = new Capsule.Albedo(0.9 - 0.33 * tone, 0.68 - 0.3 * tone, 0.56 - 0.28 * tone);
            double cloth = colours.nextDouble();
            Capsule.Albedo sleeve = new Capsule.Albedo(0.12 + 0.1 * cloth, 0.16 + 0.12 * cloth, 0.3 + 0.15 * cloth);
            body = new HandBody(skin, sleeve);
            Backdrop backdrop = new Backdrop(random.split());
            fisheye = new SceneRenderer(fisheyeRays, backdrop);
            pinhole = new SceneRenderer(pinholeRays, backdrop);
        }

        HandMotion motion(HandSide side) {
            return side == HandSide.RIGHT ? right : left;
        }

        HandBody body() {
            return body;
        }

        SceneRenderer fisheye() {
            return fisheye;
        }

        SceneRenderer pinhole() {
            return pinhole;
        }
    }
}
