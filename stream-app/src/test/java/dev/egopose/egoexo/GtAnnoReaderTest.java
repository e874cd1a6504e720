package dev.egopose.egoexo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GtAnnoReaderTest {
    private static final String TAKE = "0df55687-74be-4dbf-aebe-fe0951b17ecf";

    private final GtAnnoReader reader = new GtAnnoReader();

    /** 21 rows; row j = [j + 0.5, 10 j, -j] scaled by 0.01, with {@code invalid} rows replaced by {@code token}. */
    private static String rows3d(String token, int... invalid) {
        StringJoiner rows = new StringJoiner(", ", "[", "]");
        for (int j = 0; j < 21; j++) {
            final int joint = j;
            boolean bad = java.util.Arrays.stream(invalid).anyMatch(i -> i == joint);
            rows.add(bad ? "[" + token + ", " + token + ", " + token + "]" : "[" + (j + 0.5) / 100 + ", " + j / 10.0 + ", " + -j / 100.0 + "]");
        }
        return rows.toString();
    }

    private static String rows2d(String token, int... invalid) {
        StringJoiner rows = new StringJoiner(", ", "[", "]");
        for (int j = 0; j < 21; j++) {
            final int joint = j;
            boolean bad = java.util.Arrays.stream(invalid).anyMatch(i -> i == joint);
            rows.add(bad ? "[" + token + ", " + token + "]" : "[" + (100 + j) + ", " + (200 + j) + "]");
        }
        return rows.toString();
    }

    private static String flags(int... invalid) {
        StringJoiner flags = new StringJoiner(", ", "[", "]");
        for (int j = 0; j < 21; j++) {
            final int joint = j;
            flags.add(java.util.Arrays.stream(invalid).anyMatch(i -> i == joint) ? "false" : "true");
        }
        return flags.toString();
    }

    private static String trainRecord(int frame) {
        return "{\"right_hand_3d\": " + rows3d("NaN", 3, 7) + ", \"right_hand_2d\": " + rows2d("null", 3, 7)
                + ", \"right_hand_bbox\": [10.5, 20.25, 110.0, 140.0], \"right_hand_valid_3d\": " + flags(3, 7)
                + ", \"left_hand_3d\": [], \"left_hand_2d\": [], \"left_hand_bbox\": [], \"left_hand_valid_3d\": []"
                + ", \"metadata\": {\"take_uid\": \"" + TAKE + "\", \"take_name\": \"upenn_0710_Guitar_1_6\", \"frame_number\": " + frame + "}}";
    }

    /** Replaces the first occurrence, failing the test if there is none (so an edit can never silently miss). */
    private static String edit(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0, "test fixture does not contain " + from);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private GroundTruth read(String json) throws IOException {
        return reader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "gt.json");
    }

    private EgoExoFormatException failure(String json) {
        return assertThrows(EgoExoFormatException.class, () -> read(json));
    }

    @Test
    void readsTrainValRecordWithNanTokensNullsAndEmptyHand() throws IOException {
        GroundTruth gt = read("{\"" + TAKE + "\": {\"12\": " + trainRecord(12) + "}}");

        FrameAnnotation frame = gt.frame(TAKE, 12).orElseThrow();
        HandAnnotation right = frame.hand(HandSide.RIGHT);
        Joints3d joints = right.joints3d().orElseThrow();
        assertEquals(0.005, joints.get(0, 0), 0.0);
        assertEquals(2.0, joints.get(20, 1), 0.0);
        assertEquals(-0.2, joints.get(20, 2), 0.0);
        assertTrue(Double.isNaN(joints.get(3, 0)), "NaN token reads as NaN");
        assertTrue(Double.isNaN(joints.get(7, 2)));
        Keypoints2d kp = right.keypoints2d().orElseThrow();
        assertEquals(120.0, kp.x(20), 0.0);
        assertEquals(220.0, kp.y(20), 0.0);
        assertFalse(kp.isPresent(3), "null reads as NaN");
        assertEquals(19, right.valid3d().orElseThrow().count());
        assertFalse(right.valid3d().orElseThrow().isValid(7));
        assertEquals(new HandBox(10.5, 20.25, 110.0, 140.0), right.box().orElseThrow());
        assertTrue(right.isEvaluated());

        assertEquals(HandAnnotation.NONE, frame.hand(HandSide.LEFT), "[] everywhere means no annotation");
        assertEquals(Optional.of(new FrameMetadata(TAKE, "upenn_0710_Guitar_1_6", 12)), frame.metadata());
        assertEquals(Optional.of("upenn_0710_Guitar_1_6"), gt.takes().get(TAKE).takeName());
        assertEquals(1, gt.evaluatedHands(HandSide.RIGHT));
        assertEquals(0, gt.evaluatedHands(HandSide.LEFT));
    }

    @Test
    void readsTestSplitRecordsWithOnlyBoxes() throws IOException {
        // The example record of the public test split (REFERENCE.md section 1), plus a frame with a left hand only.
        String json = "{\"" + TAKE + "\": {\"398\": {\"right_hand_bbox\": [288.72,325.86,449.42,473.67], \"left_hand_bbox\": [],"
                + " \"metadata\": {\"take_uid\": \"" + TAKE + "\", \"take_name\": \"upenn_0710_Guitar_1_6\", \"frame_number\": 398}},"
                + " \"5\": {\"right_hand_bbox\": [], \"left_hand_bbox\": [1, 2, 3, 4],"
                + " \"metadata\": {\"take_uid\": \"" + TAKE + "\", \"take_name\": \"upenn_0710_Guitar_1_6\", \"frame_number\": 5}}}}";
        GroundTruth gt = read(json);

        assertEquals(2, gt.frameCount());
        assertEquals(java.util.List.of(5, 398), java.util.List.copyOf(gt.takes().get(TAKE).frames().keySet()), "frames in numeric order");
        FrameAnnotation f398 = gt.frame(TAKE, 398).orElseThrow();
        assertEquals(HandAnnotation.boxOnly(new HandBox(288.72, 325.86, 449.42, 473.67)), f398.right());
        assertEquals(HandAnnotation.NONE, f398.left());
        assertEquals(1, gt.boxedHands(HandSide.RIGHT));
        assertEquals(1, gt.boxedHands(HandSide.LEFT));
        assertEquals(0, gt.evaluatedHands(HandSide.RIGHT) + gt.evaluatedHands(HandSide.LEFT));
    }

    @Test
    void readsFileWrittenByPythonAndAgreesWithItsCounts() throws Exception {
        Path file = Path.of(getClass().getResource("/eval/gt.json").toURI());
        GroundTruth gt = reader.read(file);

        // Counted independently from the same file with Jackson's tree model.
        JsonNode tree;
        try (InputStream in = Files.newInputStream(file)) {
            tree = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                    .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()).readTree(in);
        }
        int frames = 0;
        int right = 0;
        int left = 0;
        for (JsonNode take : tree) {
            for (JsonNode record : take) {
                frames++;
                right += record.get("right_hand_3d").isEmpty() ? 0 : 1;
                left += record.get("left_hand_3d").isEmpty() ? 0 : 1;
            }
        }
        assertEquals(tree.size(), gt.takes().size());
        assertEquals(frames, gt.frameCount());
        assertEquals(right, gt.evaluatedHands(HandSide.RIGHT));
        assertEquals(left, gt.evaluatedHands(HandSide.LEFT));
        // expected.json (written by the NumPy reference) counts 18 evaluated hands.
        assertEquals(18, right + left);
    }

    @Test
    void readsFromFileAndNamesMissingFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gt.json");
        Files.writeString(file, "{\"" + TAKE + "\": {\"12\": " + trainRecord(12) + "}}");
        assertEquals(1, reader.read(file).frameCount());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> reader.read(dir.resolve("absent.json")));
    }

    @Test
    void wrongJointCountNamesFileTakeFrameAndField() {
        String record = edit(trainRecord(12), "\"right_hand_3d\": [[0.005, 0.0, 0.0], ", "\"right_hand_3d\": [");
        EgoExoFormatException e = failure("{\"" + TAKE + "\": {\"12\": " + record + "}}");
        assertEquals("gt.json", e.source());
        assertEquals(Optional.of(TAKE), e.take());
        assertEquals(Optional.of("12"), e.frame());
        assertEquals(Optional.of("right_hand_3d"), e.field());
        assertTrue(e.getMessage().startsWith("gt.json: take " + TAKE + ", frame 12, field right_hand_3d: "), e.getMessage());
        assertTrue(e.getMessage().contains("found 20"), e.getMessage());
    }

    @Test
    void numericValidityFlagsAreRefused() {
        String record = edit(trainRecord(12), "\"right_hand_valid_3d\": [true", "\"right_hand_valid_3d\": [1");
        EgoExoFormatException e = failure("{\"" + TAKE + "\": {\"12\": " + record + "}}");
        assertEquals(Optional.of("right_hand_valid_3d"), e.field());
        assertTrue(e.getMessage().contains("joint 0 must be true or false"), e.getMessage());
    }

    @Test
    void stringCoordinateIsRefusedWithJointAndField() {
        String record = edit(trainRecord(12), "[0.005, 0.0, 0.0]", "[0.005, \"x\", -0.0]");
        EgoExoFormatException e = failure("{\"" + TAKE + "\": {\"12\": " + record + "}}");
        assertEquals(Optional.of("right_hand_3d"), e.field());
        assertTrue(e.getMessage().contains("joint 0 coordinate 1 must be a number, found string \"x\""), e.getMessage());
    }

    @Test
    void threeDimensionalJointsWithoutValidityAreRefused() {
        String record = edit(trainRecord(12), "\"right_hand_valid_3d\": " + flags(3, 7), "\"right_hand_valid_3d\": []");
        EgoExoFormatException e = failure("{\"" + TAKE + "\": {\"12\": " + record + "}}");
        assertEquals(Optional.of("right_hand_valid_3d"), e.field());
    }

    @Test
    void boxWithNoAreaNamesField() {
        String record = edit(trainRecord(12), "[10.5, 20.25, 110.0, 140.0]", "[10.5, 20.25, 10.5, 140.0]");
        EgoExoFormatException e = failure("{\"" + TAKE + "\": {\"12\": " + record + "}}");
        assertEquals(Optional.of("right_hand_bbox"), e.field());
        assertTrue(e.getMessage().contains("no area"), e.getMessage());
    }

    @Test
    void metadataMustMatchTheKeys() {
        EgoExoFormatException e = failure("{\"" + TAKE + "\": {\"13\": " + trainRecord(12) + "}}");
        assertEquals(Optional.of("metadata.frame_number"), e.field());
        assertEquals(Optional.of("13"), e.frame());
    }

    @Test
    void frameKeysMustBeCanonicalIntegers() {
        assertEquals(Optional.of("012"), failure("{\"" + TAKE + "\": {\"012\": {}}}").frame());
        assertTrue(failure("{\"" + TAKE + "\": {\"abc\": {}}}").getMessage().contains("frame key 'abc'"));
        assertTrue(failure("{\"" + TAKE + "\": {\"-1\": {}}}").getMessage().contains("not a non-negative integer"));
    }

    @Test
    void syntaxErrorsNameLineTakeAndFrame() {
        EgoExoFormatException e = failure("{\"" + TAKE + "\": {\"12\": {\"right_hand_bbox\": [1, 2,, 3]}}}");
        assertEquals(Optional.of(TAKE), e.take());
        assertEquals(Optional.of("12"), e.frame());
        assertTrue(e.getMessage().contains("not valid JSON at line 1"), e.getMessage());
    }

    @Test
    void duplicateKeysAndWrongShapesAreRefused() {
        assertTrue(failure("{\"a\": {\"1\": {}}, \"a\": {\"2\": {}}}").getMessage().contains("Duplicate"));
        assertTrue(failure("[1, 2]").getMessage().contains("must be a JSON object"));
        assertEquals(Optional.of("t"), failure("{\"t\": [1]}").take());
        assertEquals(Optional.of("4"), failure("{\"t\": {\"4\": []}}").frame());
        assertTrue(failure("{\"t\": {}} {}").getMessage().contains("unexpected content"));
    }
}
