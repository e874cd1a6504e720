package dev.egopose.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.avro.AvroMapping;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionReader;
import dev.egopose.schema.HandPose;
import dev.egopose.schema.HandPoses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoseSinkTest {
    private static final String TOPIC = "egopose.poses";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final String T1 = "11111111-aaaa-4bbb-8ccc-000000000001";
    private static final String T2 = "22222222-aaaa-4bbb-8ccc-000000000002";
    private static final String T3 = "33333333-aaaa-4bbb-8ccc-000000000003";
    /** 2023-11-14T22:13:20Z in epoch ms. */
    private static final long BASE_MS = 1_700_000_000_000L;
    private static final HandBox BOX = new HandBox(10, 20, 110, 120);

    @TempDir
    Path dir;

    private MockConsumer<String, HandPoses> consumer;
    private long offset;

    @BeforeEach
    void consumer() {
        consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    /** Joints whose coordinate i is {@code seed + i / 1000}. */
    private static Joints3d joints(double seed) {
        double[] xyz = new double[Joints3d.JOINTS * 3];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = seed + i / 1000.0;
        }
        return new Joints3d(xyz);
    }

    private static HandPose hand(HandSide side, double seed) {
        return AvroMapping.toAvro(side, joints(seed), BOX);
    }

    private static HandPoses poses(String take, int frame, long captureTimeNs, long emittedAtMs, HandPose... hands) {
        return HandPoses.newBuilder()
                .setTakeUid(take)
                .setTakeName("name_of_" + take.substring(0, 8))
                .setFrameNumber(frame)
                .setCaptureTimeNs(captureTimeNs)
                .setHands(List.of(hands))
                .setModelId("test-model")
                .setReceivedAtMs(emittedAtMs)
                .setEmittedAtMs(emittedAtMs)
                .build();
    }

    private static HandPoses poses(String take, int frame, HandPose... hands) {
        return poses(take, frame, BASE_MS * 1_000_000L, BASE_MS + 10, hands);
    }

    private void add(HandPoses value) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset++, value.getTakeUid().toString(), value));
    }

    /** A test-split gt_anno file: {take: {frame: {right_hand_bbox, left_hand_bbox, metadata}}}, boxes given per side or []. */
    private Path template(Object[]... frames) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        for (Object[] f : frames) {
            String take = (String) f[0];
            int frame = (Integer) f[1];
            ObjectNode takeNode = root.has(take) ? (ObjectNode) root.get(take) : root.putObject(take);
            ObjectNode record = takeNode.putObject(Integer.toString(frame));
            ArrayNode right = record.putArray("right_hand_bbox");
            ArrayNode left = record.putArray("left_hand_bbox");
            if ((Boolean) f[2]) {
                right.add(288.72).add(325.86).add(449.42).add(473.67);
            }
            if ((Boolean) f[3]) {
                left.add(1).add(2).add(30).add(40);
            }
            ObjectNode meta = record.putObject("metadata");
            meta.put("take_uid", take).put("take_name", "name_of_" + take.substring(0, 8)).put("frame_number", frame);
        }
        Path file = dir.resolve("ego_pose_gt_anno_test_public.json");
        json.writeValue(file.toFile(), root);
        return file;
    }

    private static Object[] frame(String take, int frame, boolean rightBox, boolean leftBox) {
        return new Object[] {take, frame, rightBox, leftBox};
    }

    private List<Path> folderContents(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void aRedeliveredPoseOverwritesTheSameHand() throws IOException {
        Path out = dir.resolve("out").resolve("submission.json");
        add(poses(T1, 5, hand(HandSide.RIGHT, 0.1)));
        add(poses(T1, 5, hand(HandSide.RIGHT, 0.7)));

        SinkReport report = new PoseSink(consumer, out, Optional.empty(), Duration.ofMillis(300), Duration.ofSeconds(5)).run(n -> { });

        assertEquals(1, report.hands(), "the same take/frame/hand counts once");
        assertEquals(2, report.records(), "every record consumed counts");
        assertEquals(1, report.frames());
        Submission written = new SubmissionReader().read(out);
        assertEquals(Optional.of(joints(0.7)), written.get(T1, 5, HandSide.RIGHT), "the later delivery wins");
        assertEquals(Optional.empty(), written.get(T1, 5, HandSide.LEFT));
        assertEquals(1, written.frameCount());
    }

    @Test
    void withATemplateEveryTemplateFrameIsWrittenAndTheSinkEndsWhenComplete() throws IOException {
        GroundTruth template = new GtAnnoReader().read(template(
                frame(T1, 0, true, false),
                frame(T1, 1, true, true),
                frame(T2, 5, false, false),
                frame(T2, 6, false, true)));
        Path out = dir.resolve("submission.json");
        List<Integer> progress = new ArrayList<>();
        // poses arrive over several polls; the last one completes the template
        consumer.schedulePollTask(() -> {
            add(poses(T1, 0, hand(HandSide.RIGHT, 1.0), hand(HandSide.LEFT, 1.5))); // the left hand has no box
            add(poses(T3, 9, hand(HandSide.RIGHT, 3.0))); // a take the template does not have
        });
        consumer.schedulePollTask(() -> add(poses(T1, 1, hand(HandSide.LEFT, 2.0), hand(HandSide.RIGHT, 2.5))));
        consumer.scheduleNopPollTask();
        consumer.schedulePollTask(() -> add(poses(T2, 6, hand(HandSide.LEFT, 4.0))));
        // anything after completion must not be waited for: idle is a minute
        PoseSink sink = new PoseSink(consumer, out, Optional.of(template), Duration.ofMinutes(1), Duration.ofMinutes(1));

        SinkReport report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> sink.run(progress::add));

        assertTrue(report.complete());
        assertEquals(0, report.missingHands());
        assertEquals(4, report.frames(), "frames received: T1/0, T3/9, T1/1, T2/6");
        assertEquals(6, report.hands(), "hands received, whether the template wants them or not");
        assertEquals(4, report.records());
        assertEquals(6, progress.get(progress.size() - 1));

        Submission written = new SubmissionReader().read(out);
        assertEquals(Map.of(T1, List.of(0, 1), T2, List.of(5, 6)),
                Map.of(T1, List.copyOf(written.takes().get(T1).keySet()), T2, List.copyOf(written.takes().get(T2).keySet())));
        assertEquals(2, written.takes().size(), "the take outside the template is left out");
        assertEquals(Optional.of(joints(1.0)), written.get(T1, 0, HandSide.RIGHT));
        assertEquals(Optional.empty(), written.get(T1, 0, HandSide.LEFT), "no box: []");
        assertEquals(Optional.of(joints(2.0)), written.get(T1, 1, HandSide.LEFT));
        assertEquals(Optional.of(joints(2.5)), written.get(T1, 1, HandSide.RIGHT));
        assertTrue(written.frame(T2, 5).isPresent(), "a template frame without poses still appears");
        assertEquals(0, written.frame(T2, 5).get().handCount());
        assertEquals(Optional.of(joints(4.0)), written.get(T2, 6, HandSide.LEFT));
        assertEquals(Optional.empty(), written.get(T2, 6, HandSide.RIGHT));

        String text = Files.readString(out);
        assertTrue(text.contains("\"left_hand_3d\":[]"), "absent hands are written as []");
    }

    @Test
    void withAnIncompleteTemplateTheSinkEndsAfterTheIdleTimeoutAndSaysWhatIsMissing() throws IOException {
        GroundTruth template = new GtAnnoReader().read(template(frame(T1, 0, true, true), frame(T1, 3, true, false)));
        Path out = dir.resolve("submission.json");
        add(poses(T1, 0, hand(HandSide.RIGHT, 1.0)));

        SinkReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> new PoseSink(consumer, out, Optional.of(template), Duration.ofMillis(400), Duration.ofMinutes(1)).run(n -> { }));

        assertFalse(report.complete());
        assertEquals(2, report.missingHands(), "T1/0 left and T1/3 right");
        Submission written = new SubmissionReader().read(out);
        assertEquals(2, written.frameCount());
        assertEquals(Optional.of(joints(1.0)), written.get(T1, 0, HandSide.RIGHT));
        assertEquals(0, written.frame(T1, 3).orElseThrow().handCount());
    }

    @Test
    void withoutATemplateTheSinkEndsAfterTheIdleTimeout() throws IOException {
        Path out = dir.resolve("submission.json");
        add(poses(T2, 1, hand(HandSide.LEFT, 1.0)));
        consumer.schedulePollTask(() -> { });
        consumer.schedulePollTask(() -> add(poses(T1, 2, hand(HandSide.RIGHT, 2.0))));
        long idleMs = 700;

        long start = System.nanoTime();
        SinkReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> new PoseSink(consumer, out, Optional.empty(), Duration.ofMillis(idleMs), Duration.ofMinutes(1)).run(n -> { }));
        double elapsedMs = (System.nanoTime() - start) / 1e6;

        assertTrue(elapsedMs >= idleMs, "ended after " + elapsedMs + " ms, before the idle timeout");
        assertTrue(elapsedMs < idleMs + 5_000, "ended after " + elapsedMs + " ms");
        assertTrue(report.complete(), "nothing is missing without a template");
        assertEquals(2, report.hands());
        assertEquals(2, report.frames());
        Submission written = new SubmissionReader().read(out);
        assertEquals(Optional.of(joints(1.0)), written.get(T2, 1, HandSide.LEFT));
        assertEquals(Optional.of(joints(2.0)), written.get(T1, 2, HandSide.RIGHT));
        assertEquals(2, written.frameCount());
    }

    @Test
    void latencyPercentilesAreNearestRankOfEmittedMinusCaptureTime() throws IOException {
        // latency = emittedAtMs - captureTimeNs / 1e6, sub-millisecond capture times included
        long[][] captureNsAndEmittedMs = {
            {BASE_MS * 1_000_000L + 500_000L, BASE_MS + 10},                 // 9.5
            {(BASE_MS + 100) * 1_000_000L + 250_000L, BASE_MS + 130},        // 29.75
            {(BASE_MS + 200) * 1_000_000L + 500_000L, BASE_MS + 220},        // 19.5
            {(BASE_MS + 300) * 1_000_000L + 750_000L, BASE_MS + 350},        // 49.25
            {(BASE_MS + 400) * 1_000_000L, BASE_MS + 405},                   // 5
        };
        for (int i = 0; i < captureNsAndEmittedMs.length; i++) {
            add(poses(T1, i, captureNsAndEmittedMs[i][0], captureNsAndEmittedMs[i][1], hand(HandSide.RIGHT, i)));
        }
        Path out = dir.resolve("submission.json");

        SinkReport report = new PoseSink(consumer, out, Optional.empty(), Duration.ofMillis(200), Duration.ofMinutes(1)).run(n -> { });

        // sorted: 5, 9.5, 19.5, 29.75, 49.25; p50 = rank ceil(2.5) = 3, p99 = rank ceil(4.95) = 5
        assertEquals(19.5, report.latencyMsP50(), 1e-9);
        assertEquals(49.25, report.latencyMsP99(), 1e-9);
        assertEquals(BASE_MS, report.firstCaptureMs());
        assertEquals(BASE_MS + 405, report.lastEmittedMs());
        // 5 frames from the first capture to the last pose, 405 ms
        assertEquals(5 / 0.405, report.framesPerSecond(), 1e-9);
    }

    @Test
    void nearestRankPercentile() {
        List<Double> oneToHundred = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            oneToHundred.add((double) i);
        }
        assertEquals(50.0, PoseSink.percentile(oneToHundred, 0.50));
        assertEquals(99.0, PoseSink.percentile(oneToHundred, 0.99));
        assertEquals(100.0, PoseSink.percentile(oneToHundred, 1.0));
        assertEquals(1.0, PoseSink.percentile(oneToHundred, 0.0));
        assertEquals(1.0, PoseSink.percentile(oneToHundred, 0.005));
        assertEquals(2.0, PoseSink.percentile(oneToHundred, 0.011));
        assertEquals(7.0, PoseSink.percentile(List.of(3.0, 7.0), 0.99));
        assertEquals(3.0, PoseSink.percentile(List.of(3.0, 7.0), 0.50));
        assertEquals(0.0, PoseSink.percentile(List.of(), 0.5));
    }

    @Test
    void noRecordsGiveAnEmptyFileAndZeroLatencies() throws IOException {
        Path out = dir.resolve("submission.json");
        SinkReport report = new PoseSink(consumer, out, Optional.empty(), Duration.ofMillis(200), Duration.ofMinutes(1)).run(n -> { });
        assertEquals(new SinkReport(0, 0, 0, true, 0, 0, 0, 0, 0, new SinkReport.StageTimes(0, 0, 0)), report);
        assertEquals(0, new SubmissionReader().read(out).frameCount());
    }

    @Test
    void theFileIsWrittenAtomicallyLeavingNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("sub").resolve("submission.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "{\"old\": {}}\n");
        for (int i = 0; i < 5; i++) {
            final int frame = i;
            consumer.schedulePollTask(() -> add(poses(T1, frame, hand(HandSide.LEFT, frame))));
        }
        // writeEvery 0: the file is rewritten after every poll that brought records
        SinkReport report = new PoseSink(consumer, out, Optional.empty(), Duration.ofMillis(300), Duration.ZERO).run(n -> { });

        assertEquals(5, report.hands());
        assertEquals(List.of(out), folderContents(out.getParent()), "only the submission, no temporary files");
        Submission written = new SubmissionReader().read(out);
        assertEquals(5, written.frameCount());
        assertFalse(written.takes().containsKey("old"), "the old file was replaced");
    }
}
