package dev.egopose.egoexo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionFormatTest {
    private final SubmissionWriter writer = new SubmissionWriter();
    private final SubmissionReader reader = new SubmissionReader();

    /** Joint j = (base + j, 2 j, -j / 4). */
    private static Joints3d joints(double base) {
        double[] xyz = new double[63];
        for (int j = 0; j < 21; j++) {
            xyz[j * 3] = base + j;
            xyz[j * 3 + 1] = 2.0 * j;
            xyz[j * 3 + 2] = -j / 4.0;
        }
        return new Joints3d(xyz);
    }

    private static String rowsText(double base) {
        StringBuilder text = new StringBuilder("[");
        for (int j = 0; j < 21; j++) {
            text.append(j == 0 ? "" : ",").append('[').append(base + j).append(',').append(2.0 * j).append(',').append(-j / 4.0).append(']');
        }
        return text.append(']').toString();
    }

    private static String edit(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0, "test fixture does not contain " + from);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private String text(Submission submission) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(submission, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Submission parse(String json) throws IOException {
        return reader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "pred.json");
    }

    @Test
    void writesTheDocumentedLayoutSortedAndOnePerLine() throws IOException {
        SubmissionStore store = new SubmissionStore();
        store.put("take-b", 10, HandSide.RIGHT, joints(1));
        store.put("take-b", 9, HandSide.LEFT, joints(2));
        store.put("take-a", 100, HandSide.LEFT, joints(3));

        String expected = "{\n"
                + "\"take-a\":{\n"
                + "\"100\":{\"left_hand_3d\":" + rowsText(3) + ",\"right_hand_3d\":[]}\n"
                + "},\n"
                + "\"take-b\":{\n"
                + "\"9\":{\"left_hand_3d\":" + rowsText(2) + ",\"right_hand_3d\":[]},\n"
                + "\"10\":{\"left_hand_3d\":[],\"right_hand_3d\":" + rowsText(1) + "}\n"
                + "}\n"
                + "}\n";
        assertEquals(expected, text(store.snapshot()));
    }

    @Test
    void sameContentGivesByteIdenticalFiles(@TempDir Path dir) throws IOException {
        SubmissionStore first = new SubmissionStore();
        first.put("t2", 7, HandSide.LEFT, joints(0.125));
        first.put("t1", 30, HandSide.RIGHT, joints(-4));
        first.put("t1", 4, HandSide.RIGHT, joints(1e-7));
        SubmissionStore second = new SubmissionStore();
        second.put("t1", 4, HandSide.RIGHT, joints(5)); // overwritten below: re-delivery
        second.put("t1", 30, HandSide.RIGHT, joints(-4));
        second.put("t2", 7, HandSide.LEFT, joints(0.125));
        second.put("t1", 4, HandSide.RIGHT, joints(1e-7));

        writer.write(first.snapshot(), dir.resolve("a.json"));
        writer.write(second.snapshot(), dir.resolve("b.json"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.json")), Files.readAllBytes(dir.resolve("b.json")));
    }

    @Test
    void roundTripKeepsEveryValueExactly(@TempDir Path dir) throws IOException {
        double[] awkward = joints(0).xyz();
        awkward[0] = 0.1 + 0.2;
        awkward[1] = 1e-300;
        awkward[2] = -123456.789e10;
        SubmissionStore store = new SubmissionStore();
        store.put("t", 0, HandSide.LEFT, new Joints3d(awkward));
        store.put("t", 0, HandSide.RIGHT, joints(9));
        Path file = dir.resolve("sub/out.json");
        writer.write(store.snapshot(), file);

        Submission back = reader.read(file);
        assertEquals(Optional.of(new Joints3d(awkward)), back.get("t", 0, HandSide.LEFT));
        assertEquals(Optional.of(joints(9)), back.get("t", 0, HandSide.RIGHT));
        assertEquals(2, back.handCount());
    }

    @Test
    void failedWriteLeavesThePreviousFileIntactAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("submission.json");
        SubmissionStore good = new SubmissionStore();
        good.put("t", 1, HandSide.LEFT, joints(1));
        writer.write(good.snapshot(), file);
        byte[] before = Files.readAllBytes(file);

        // Non-finite values cannot be written; the failure comes after the first take has been written.
        double[] bad = joints(2).xyz();
        bad[40] = Double.NaN;
        Map<String, java.util.SortedMap<Integer, FramePrediction>> takes = new TreeMap<>();
        takes.put("a-first", new TreeMap<>(Map.of(1, new FramePrediction(Optional.of(joints(3)), Optional.empty()))));
        takes.put("z-last", new TreeMap<>(Map.of(5, new FramePrediction(Optional.empty(), Optional.of(new Joints3d(bad))))));
        Submission broken = new Submission(new TreeMap<>(takes));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(broken, file));
        assertTrue(e.getMessage().contains("take z-last, frame 5, right_hand_3d: joint 13"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void writtenFileGetsTheFolderDefaultPermissionsNotOwnerOnly(@TempDir Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("submission.json");
        writer.write(Submission.empty(), written);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    @Test
    void failedRenameLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> writer.write(Submission.empty(), target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void readerAcceptsNanTokensEmptyAndMissingHands() throws IOException {
        String withNan = edit(rowsText(0), "[0.0,", "[NaN,");
        Submission s = parse("{\"t\": {\"3\": {\"left_hand_3d\": " + withNan + ", \"right_hand_3d\": []}, \"4\": {\"extra\": 1}}}");
        assertTrue(Double.isNaN(s.get("t", 3, HandSide.LEFT).orElseThrow().get(0, 0)));
        assertEquals(Optional.empty(), s.get("t", 3, HandSide.RIGHT));
        assertEquals(Optional.of(FramePrediction.EMPTY), s.frame("t", 4));
        assertEquals(2, s.frameCount());
    }

    @Test
    void strictReadNamesTakeFrameAndFieldOfAMalformedHand() {
        String twenty = edit(rowsText(0), "[0.0,0.0,0.0],", "");
        EgoExoFormatException e = assertThrows(EgoExoFormatException.class,
                () -> parse("{\"t\": {\"3\": {\"left_hand_3d\": [], \"right_hand_3d\": " + twenty + "}}}"));
        assertEquals("pred.json: take t, frame 3, field right_hand_3d: expected 21 joints or [], found 20", e.getMessage());
    }

    @Test
    void tolerantReadSetsMalformedHandsAside() throws IOException {
        String withNull = edit(rowsText(0), "[0.0,", "[null,");
        SubmissionReader.Result result = reader.readTolerant(new ByteArrayInputStream(
                ("{\"t\": {\"3\": {\"left_hand_3d\": " + withNull + ", \"right_hand_3d\": " + rowsText(1) + "}}}").getBytes(StandardCharsets.UTF_8)),
                "pred.json");
        assertEquals(1, result.malformed().size());
        MalformedHand bad = result.malformed().get(0);
        assertEquals(new MalformedHand("t", 3, HandSide.LEFT, bad.reason()), bad);
        assertTrue(bad.reason().startsWith("left_hand_3d: joint 0 coordinate 0 must be a number, found null"), bad.reason());
        assertEquals(Optional.of(joints(1)), result.submission().get("t", 3, HandSide.RIGHT));
        assertEquals(Optional.empty(), result.submission().get("t", 3, HandSide.LEFT));
    }

    @Test
    void storePutIsIdempotentAndOverwrites() {
        SubmissionStore store = new SubmissionStore();
        assertTrue(store.put("t", 1, HandSide.LEFT, joints(1)));
        assertFalse(store.put("t", 1, HandSide.LEFT, joints(1)), "re-delivery of the same pose changes nothing");
        assertEquals(1, store.size());
        assertTrue(store.put("t", 1, HandSide.LEFT, joints(2)));
        assertEquals(1, store.size());
        assertTrue(store.put("t", 1, HandSide.RIGHT, joints(3)));
        assertEquals(2, store.size());
        assertEquals(Optional.of(joints(2)), store.get("t", 1, HandSide.LEFT));
        Submission snapshot = store.snapshot();
        store.put("t", 2, HandSide.LEFT, joints(4));
        assertEquals(1, snapshot.frameCount(), "a snapshot does not change afterwards");
    }

    @Test
    void storeRefusesNonFiniteJointsNamingTheHand() {
        double[] bad = joints(0).xyz();
        bad[62] = Double.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SubmissionStore().put("t", 8, HandSide.RIGHT, new Joints3d(bad)));
        assertTrue(e.getMessage().contains("take t, frame 8, right hand: joint 20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SubmissionStore().put("t", -1, HandSide.RIGHT, joints(0)));
        assertThrows(IllegalArgumentException.class, () -> new SubmissionStore().put("", 1, HandSide.RIGHT, joints(0)));
    }

    @Test
    void fillTemplateWritesEveryTemplateFrameAndOnlyBoxedHands() throws IOException {
        HandBox box = new HandBox(1, 2, 30, 40);
        TreeMap<Integer, FrameAnnotation> frames = new TreeMap<>();
        frames.put(1, new FrameAnnotation(1, HandAnnotation.boxOnly(box), HandAnnotation.NONE, Optional.empty()));
        frames.put(2, new FrameAnnotation(2, HandAnnotation.boxOnly(box), HandAnnotation.boxOnly(box), Optional.empty()));
        frames.put(3, new FrameAnnotation(3, HandAnnotation.NONE, HandAnnotation.NONE, Optional.empty()));
        GroundTruth template = new GroundTruth(new TreeMap<>(Map.of("t", new TakeAnnotation("t", frames))));

        SubmissionStore store = new SubmissionStore();
        store.put("t", 1, HandSide.LEFT, joints(1)); // boxed: kept
        store.put("t", 1, HandSide.RIGHT, joints(2)); // no box: dropped
        store.put("t", 2, HandSide.RIGHT, joints(3)); // boxed: kept; left of frame 2 boxed but missing
        store.put("t", 9, HandSide.LEFT, joints(4)); // frame not in template: dropped
        store.put("other", 1, HandSide.LEFT, joints(5)); // take not in template: dropped

        TemplateFill fill = store.snapshot().fillTemplate(template);
        assertEquals(3, fill.expectedHands());
        assertEquals(2, fill.filledHands());
        assertEquals(1, fill.missingHands());
        assertEquals(3, fill.droppedPredictions());
        String expected = "{\n\"t\":{\n"
                + "\"1\":{\"left_hand_3d\":" + rowsText(1) + ",\"right_hand_3d\":[]},\n"
                + "\"2\":{\"left_hand_3d\":[],\"right_hand_3d\":" + rowsText(3) + "},\n"
                + "\"3\":{\"left_hand_3d\":[],\"right_hand_3d\":[]}\n"
                + "}\n}\n";
        assertEquals(expected, text(fill.submission()));
    }
}
