package dev.egopose.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.camera.OpenCvNative;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A take set on disk in the Ego-Exo4D layout: undistorted 512x512 JPEG frames under
 * {@code images/test/<take>/<frame:06d>.jpg} and a test-format gt_anno with both hands' boxes (every
 * seventh frame has only a right hand). The take uids are chosen so that, keyed by uid, take {@code k}
 * lands in partition {@code k % partitions}: consecutive takes alternate between partitions.
 *
 * @param anno   the gt_anno JSON
 * @param images the aria_img_dir ({@code --images})
 * @param frames every frame written, in replay order
 */
record TakeFiles(Path anno, Path images, List<FrameKey> frames) {

    static TakeFiles write(Path dir, int takes, int framesPerTake, int partitions) throws IOException {
        OpenCvNative.load();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        Path images = dir.resolve("images");
        List<FrameKey> frames = new ArrayList<>();
        for (String uid : takeUids(takes, partitions)) {
            String name = "take_" + uid;
            Path folder = Files.createDirectories(images.resolve("test").resolve(name));
            ObjectNode take = root.putObject(uid);
            for (int f = 0; f < framesPerTake; f++) {
                int seed = frames.size();
                Files.write(folder.resolve(String.format("%06d.jpg", f)), jpeg(seed));
                ObjectNode record = take.putObject(Integer.toString(f));
                record.putArray("right_hand_bbox").add(280.0 + f % 9).add(320.0).add(450.0 - f % 5).add(470.0);
                if (f % 7 == 3) {
                    record.putArray("left_hand_bbox");
                } else {
                    record.putArray("left_hand_bbox").add(60.0).add(300.0 + f % 11).add(200.0).add(430.0);
                }
                record.putObject("metadata").put("take_uid", uid).put("take_name", name).put("frame_number", f);
                frames.add(new FrameKey(uid, f));
            }
        }
        Path anno = dir.resolve("ego_pose_gt_anno_test_public.json");
        Files.writeString(anno, json.writeValueAsString(root), StandardCharsets.UTF_8);
        return new TakeFiles(anno, images, List.copyOf(frames));
    }

    Set<FrameKey> frameSet() {
        return new LinkedHashSet<>(frames);
    }

    /** Uids in sorted (= replay) order, take {@code k} hashing to partition {@code k % partitions} as Kafka's default partitioner does. */
    static List<String> takeUids(int takes, int partitions) {
        List<String> uids = new ArrayList<>();
        for (int k = 0; k < takes; k++) {
            for (int candidate = 0; ; candidate++) {
                String uid = "t" + k + "-" + candidate;
                if (partitionOf(uid, partitions) == k % partitions) {
                    uids.add(uid);
                    break;
                }
            }
        }
        return uids;
    }

    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** A smooth random picture (noise blown up from 32x32) so the JPEG stays small (~20 kB). */
    private static byte[] jpeg(int seed) {
        Mat small = new Mat(32, 32, CvType.CV_8UC3);
        Mat image = new Mat();
        MatOfByte bytes = new MatOfByte();
        try {
            Core.setRNGSeed(1000 + seed);
            Core.randu(small, 0, 256);
            Imgproc.resize(small, image, new Size(512, 512), 0, 0, Imgproc.INTER_CUBIC);
            Imgcodecs.imencode(".jpg", image, bytes);
            return bytes.toArray();
        } finally {
            small.release();
            image.release();
            bytes.release();
        }
    }
}
