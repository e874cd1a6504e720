package dev.egopose.egoexo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.Joints3d;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GtAnnoWriterTest {
    private static final String TAKE = "0df55687-74be-4dbf-aebe-fe0951b17ecf";

    private static GroundTruth sample() {
        double[] xyz = new double[63];
        double[] xy = new double[42];
        boolean[] valid = new boolean[21];
        for (int j = 0; j < 21; j++) {
            xyz[3 * j] = 0.1 + j * 1e-3 / 3;
            xyz[3 * j + 1] = -0.05 + j * 0.0123456789;
            xyz[3 * j + 2] = 0.4 + Math.PI * j / 1000;
            xy[2 * j] = 100 + j / 7.0;
            xy[2 * j + 1] = 200 - j / 3.0;
            valid[j] = j != 5;
        }
        xyz[15] = xyz[16] = xyz[17] = Double.NaN;
        xy[10] = xy[11] = Double.NaN;
        HandAnnotation right = new HandAnnotation(Optional.of(new Keypoints2d(xy)), Optional.of(new Joints3d(xyz)),
                Optional.of(new JointMask(valid)), Optional.of(new HandBox(80.5, 180.25, 140.125, 230)));
        FrameAnnotation frame = new FrameAnnotation(398, HandAnnotation.NONE, right,
                Optional.of(new FrameMetadata(TAKE, "upenn_0710_Guitar_1_6", 398)));
        FrameAnnotation other = new FrameAnnotation(12, HandAnnotation.boxOnly(new HandBox(1, 2, 3, 4)), HandAnnotation.NONE,
                Optional.of(new FrameMetadata(TAKE, "upenn_0710_Guitar_1_6", 12)));
        return new GroundTruth(new TreeMap<>(Map.of(TAKE, new TakeAnnotation(TAKE, new TreeMap<>(Map.of(398, frame, 12, other))))));
    }

    @Test
    void trainValShapeReadsBackIdenticallyWithNanAsNull(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gt.json");
        new GtAnnoWriter().write(sample(), GtAnnoWriter.Shape.TRAIN_VAL, file);
        assertEquals(sample(), new GtAnnoReader().read(file));
        JsonNode record = new ObjectMapper().readTree(file.toFile()).get(TAKE).get("398");
        assertTrue(record.get("right_hand_3d").get(5).get(0).isNull());
        assertTrue(record.get("right_hand_2d").get(5).get(1).isNull());
        assertEquals(0, record.get("left_hand_3d").size());
        assertEquals(0, record.get("left_hand_bbox").size());
        assertEquals(false, record.get("right_hand_valid_3d").get(5).booleanValue());
        // frames in numeric order, one per line
        String text = Files.readString(file);
        assertTrue(text.indexOf("\"12\"") < text.indexOf("\"398\""));
        assertEquals(6, text.lines().count(), text);
    }

    @Test
    void testShapeHasOnlyBoxesAndMetadataAndIsDeterministic() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new GtAnnoWriter().write(sample(), GtAnnoWriter.Shape.TEST, a);
        new GtAnnoWriter().write(sample(), GtAnnoWriter.Shape.TEST, b);
        assertEquals(a.toString(), b.toString());
        JsonNode record = new ObjectMapper().readTree(a.toByteArray()).get(TAKE).get("398");
        assertEquals(3, record.size());
        assertEquals(140.125, record.get("right_hand_bbox").get(2).doubleValue(), 0.0);
        GroundTruth read = new GtAnnoReader().read(new java.io.ByteArrayInputStream(a.toByteArray()), "test");
        assertEquals(Optional.of(new HandBox(1, 2, 3, 4)), read.frame(TAKE, 12).orElseThrow().left().box());
        assertTrue(read.frame(TAKE, 398).orElseThrow().right().joints3d().isEmpty());
    }
}
