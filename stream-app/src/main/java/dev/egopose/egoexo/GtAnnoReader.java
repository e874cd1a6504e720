package dev.egopose.egoexo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads an Ego-Exo4D hand pose gt_anno file of any split ({@code ego_pose_gt_anno_{train,val,test}_public.json}).
 * Train/val records carry {@code <hand>_hand_2d}, {@code _3d}, {@code _bbox}, {@code _valid_3d}; test records
 * only the boxes. Invalid joints may be NaN (Python's bare {@code NaN} token) or null. Stateless and thread-safe.
 */
public final class GtAnnoReader {
    private final TakeFrameWalker walker = new TakeFrameWalker();

    public GroundTruth read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        }
    }

    /** Reads from a stream; {@code source} names it in error messages. */
    public GroundTruth read(InputStream in, String source) throws IOException {
        Map<String, TreeMap<Integer, FrameAnnotation>> takes = new HashMap<>();
        walker.walk(in, source, (take, frameKey, frameNumber, record) -> {
            FrameAnnotation frame = frame(new RecordReader(source, take, frameKey), take, frameNumber, record);
            takes.computeIfAbsent(take, t -> new TreeMap<>()).put(frameNumber, frame);
        });
        TreeMap<String, TakeAnnotation> result = new TreeMap<>();
        takes.forEach((uid, frames) -> result.put(uid, new TakeAnnotation(uid, frames)));
        return new GroundTruth(result);
    }

    private static FrameAnnotation frame(RecordReader reader, String take, int frameNumber, JsonNode record) {
        HandAnnotation left = hand(reader, record, HandSide.LEFT);
        HandAnnotation right = hand(reader, record, HandSide.RIGHT);
        return new FrameAnnotation(frameNumber, left, right, metadata(reader, take, frameNumber, record));
    }

    private static HandAnnotation hand(RecordReader reader, JsonNode record, HandSide side) {
        String prefix = side.jsonName() + "_hand_";
        Optional<Keypoints2d> kp2d = reader.joints(record, prefix + "2d", 2, true).map(Keypoints2d::new);
        Optional<Joints3d> kp3d = reader.joints(record, prefix + "3d", 3, true).map(Joints3d::new);
        Optional<JointMask> valid = reader.flags(record, prefix + "valid_3d");
        if (kp3d.isPresent() && valid.isEmpty()) {
            throw reader.error(prefix + "valid_3d", "missing or [] although " + prefix + "3d is given");
        }
        if (valid.isPresent() && kp3d.isEmpty()) {
            throw reader.error(prefix + "3d", "missing or [] although " + prefix + "valid_3d is given");
        }
        return new HandAnnotation(kp2d, kp3d, valid, reader.box(record, prefix + "bbox"));
    }

    private static Optional<FrameMetadata> metadata(RecordReader reader, String take, int frameNumber, JsonNode record) {
        JsonNode node = record.get("metadata");
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw reader.error("metadata", "expected an object, found " + RecordReader.kind(node));
        }
        JsonNode uid = node.get("take_uid");
        JsonNode name = node.get("take_name");
        JsonNode number = node.get("frame_number");
        if (uid == null || !uid.isTextual()) {
            throw reader.error("metadata.take_uid", "expected a string, found " + (uid == null ? "nothing" : RecordReader.kind(uid)));
        }
        if (name == null || !name.isTextual()) {
            throw reader.error("metadata.take_name", "expected a string, found " + (name == null ? "nothing" : RecordReader.kind(name)));
        }
        if (number == null || !number.canConvertToExactIntegral() || !number.canConvertToInt()) {
            throw reader.error("metadata.frame_number", "expected an integer, found " + (number == null ? "nothing" : RecordReader.kind(number)));
        }
        if (!uid.textValue().equals(take)) {
            throw reader.error("metadata.take_uid", "'" + uid.textValue() + "' does not match the take key");
        }
        if (number.intValue() != frameNumber) {
            throw reader.error("metadata.frame_number", number.intValue() + " does not match the frame key");
        }
        return Optional.of(new FrameMetadata(uid.textValue(), name.textValue(), frameNumber));
    }
}
