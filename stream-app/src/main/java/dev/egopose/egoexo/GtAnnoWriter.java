package dev.egopose.egoexo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a {@link GroundTruth} as an Ego-Exo4D gt_anno file, in the train/val shape (per hand
 * {@code _2d}, {@code _3d}, {@code _bbox}, {@code _valid_3d}, right before left, then {@code metadata})
 * or the test shape (only the boxes and {@code metadata}). Absent parts are written {@code []}; a
 * non-finite coordinate (an invalid joint) is written {@code null}, which {@link GtAnnoReader} reads
 * back as NaN. Numbers are written at full double precision, so reading back gives identical values.
 *
 * <p>Output is deterministic (takes by uid, frames by number, fixed field order, one frame per line), so
 * the same content gives byte-identical files. Files are replaced atomically (temporary file in the same
 * folder, forced to disk, renamed over the target). Stateless and thread-safe.
 */
public final class GtAnnoWriter {
    /** Which split's record shape to write. */
    public enum Shape {
        /** {@code ego_pose_gt_anno_{train,val}_public.json}: 2D, 3D, box and validity per hand. */
        TRAIN_VAL,
        /** {@code ego_pose_gt_anno_test_public.json}: only the boxes. */
        TEST
    }

    private static final HandSide[] SIDE_ORDER = {HandSide.RIGHT, HandSide.LEFT};

    private final JsonFactory factory = JsonFactory.builder().build();

    /** Writes {@code truth} to {@code target} atomically, creating the parent folder if needed. */
    public void write(GroundTruth truth, Shape shape, Path target) throws IOException {
        JsonFiles.writeAtomically(target, out -> write(truth, shape, out));
    }

    /** Writes the JSON to a stream (left open). */
    public void write(GroundTruth truth, Shape shape, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setPrettyPrinter(new JsonFiles.LinePerFrame());
            json.writeStartObject();
            for (TakeAnnotation take : truth.takes().values()) {
                json.writeFieldName(take.takeUid());
                json.writeStartObject();
                for (FrameAnnotation frame : take.frames().values()) {
                    json.writeFieldName(Integer.toString(frame.frameNumber()));
                    json.writeStartObject();
                    for (HandSide side : SIDE_ORDER) {
                        writeHand(json, side, frame.hand(side), shape);
                    }
                    if (frame.metadata().isPresent()) {
                        FrameMetadata meta = frame.metadata().get();
                        json.writeFieldName("metadata");
                        json.writeStartObject();
                        json.writeStringField("take_uid", meta.takeUid());
                        json.writeStringField("take_name", meta.takeName());
                        json.writeNumberField("frame_number", meta.frameNumber());
                        json.writeEndObject();
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    private static void writeHand(JsonGenerator json, HandSide side, HandAnnotation hand, Shape shape) throws IOException {
        String prefix = side.jsonName() + "_hand_";
        if (shape == Shape.TRAIN_VAL) {
            json.writeFieldName(prefix + "2d");
            writeRows(json, hand.keypoints2d().map(Keypoints2d::xy), 2);
            json.writeFieldName(prefix + "3d");
            writeRows(json, hand.joints3d().map(Joints3d::xyz), 3);
        }
        json.writeFieldName(prefix + "bbox");
        writeBox(json, hand.box());
        if (shape == Shape.TRAIN_VAL) {
            json.writeFieldName(prefix + "valid_3d");
            json.writeStartArray();
            if (hand.valid3d().isPresent()) {
                for (boolean v : hand.valid3d().get().valid()) {
                    json.writeBoolean(v);
                }
            }
            json.writeEndArray();
        }
    }

    private static void writeRows(JsonGenerator json, Optional<double[]> values, int dims) throws IOException {
        json.writeStartArray();
        if (values.isPresent()) {
            double[] flat = values.get();
            for (int j = 0; j < Joints3d.JOINTS; j++) {
                json.writeStartArray();
                for (int d = 0; d < dims; d++) {
                    double v = flat[j * dims + d];
                    if (Double.isFinite(v)) {
                        json.writeNumber(v);
                    } else {
                        json.writeNull();
                    }
                }
                json.writeEndArray();
            }
        }
        json.writeEndArray();
    }

    private static void writeBox(JsonGenerator json, Optional<HandBox> box) throws IOException {
        json.writeStartArray();
        if (box.isPresent()) {
            HandBox b = box.get();
            json.writeNumber(b.x1());
            json.writeNumber(b.y1());
            json.writeNumber(b.x2());
            json.writeNumber(b.y2());
        }
        json.writeEndArray();
    }
}
