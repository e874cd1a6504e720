package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.avro.Topics;
import dev.egopose.broker.TopicAdmin;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.UndistortionMapCache;
import dev.egopose.config.Settings;
import dev.egopose.crop.HandCropper;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.domain.Joints3d;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionReader;
import dev.egopose.replay.ReplayReport;
import dev.egopose.replay.Replayer;
import dev.egopose.replay.TakeSet;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.sink.PoseSink;
import dev.egopose.sink.SinkReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The whole path against a real broker: a take set on disk -> replay -> the stream app with the
 * bundled tiny model -> sink -> submission.json; every submitted pose must equal the model's direct
 * prediction for the same crop. Shared by the embedded-broker test and the Testcontainers test.
 */
final class EndToEndScenario {
    static final String TAKE = "5b1c8f0e-0000-4000-8000-00000000e2e0";
    static final String TAKE_NAME = "e2e_take";
    static final int FRAMES = 5;

    private final Path dir;
    private final String bootstrap;

    EndToEndScenario(Path dir, String bootstrap) {
        this.dir = dir;
        this.bootstrap = bootstrap;
    }

    /** Writes 5 undistorted 512x512 frames and a test-format gt_anno with boxes (frame 2 has only a right hand). */
    Path writeTakeSet() throws Exception {
        OpenCvNative.load();
        Path images = Files.createDirectories(dir.resolve("images/test").resolve(TAKE_NAME));
        ObjectMapper json = new ObjectMapper();
        ObjectNode frames = json.createObjectNode();
        for (int f = 0; f < FRAMES; f++) {
            Mat image = new Mat(512, 512, CvType.CV_8UC3);
            MatOfByte jpeg = new MatOfByte();
            try {
                Core.setRNGSeed(100 + f);
                Core.randu(image, 0, 256);
                Imgcodecs.imencode(".jpg", image, jpeg);
                Files.write(images.resolve(String.format("%06d.jpg", f * 10)), jpeg.toArray());
            } finally {
                image.release();
                jpeg.release();
            }
            ObjectNode record = frames.putObject(Integer.toString(f * 10));
            record.putArray("right_hand_bbox").add(280.0 + f).add(320.0).add(450.0 - f).add(470.0);
            if (f == 2) {
                record.putArray("left_hand_bbox");
            } else {
                record.putArray("left_hand_bbox").add(60.0).add(300.0 + f).add(200.0).add(430.0);
            }
            record.putObject("metadata").put("take_uid", TAKE).put("take_name", TAKE_NAME).put("frame_number", f * 10);
        }
        ObjectNode root = json.createObjectNode();
        root.set(TAKE, frames);
        Path anno = dir.resolve("ego_pose_gt_anno_test_public.json");
        json.writeValue(anno.toFile(), root);
        return anno;
    }

    /** One full run on fresh topics; returns the submission file. */
    Path run(Path anno, String suffix) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("bootstrap.servers", bootstrap);
        overrides.put("application.id", "e2e-" + suffix);
        overrides.put("topic.frames", "frames-" + suffix);
        overrides.put("topic.poses", "poses-" + suffix);
        overrides.put("topic.dlq", "dlq-" + suffix);
        overrides.put("state.dir", dir.resolve("state-" + suffix).toString());
        overrides.put("model.batch.sizes", "1,2,4");
        overrides.put("model.torch.threads", "1");
        Settings settings = Settings.load(null, Map.of(), overrides);
        Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        new TopicAdmin(bootstrap, Duration.ofSeconds(60)).ensureTopics(2, topics.names());
        Path out = dir.resolve("submission-" + suffix + ".json");
        TakeSet takeSet = TakeSet.open(anno, dir.resolve("images"), null, null);
        try (StreamApp app = StreamApp.start(settings, Duration.ofMinutes(2))) {
            ReplayReport replay;
            try (Producer<String, Frame> producer = ReplayCommand.producer(settings, topics)) {
                replay = new Replayer(producer, topics.frames(), 0, false).replay(takeSet, takeSet.frames(Set.of(), 0), n -> {});
            }
            assertEquals(FRAMES, replay.published(), replay.problems().toString());
            SinkReport sink;
            try (Consumer<String, HandPoses> consumer = SinkCommand.consumer(settings, topics, null)) {
                consumer.subscribe(List.of(settings.posesTopic()));
                sink = new PoseSink(consumer, out, Optional.of(takeSet.annotation()), Duration.ofSeconds(90), Duration.ofSeconds(1)).run(n -> {});
            }
            assertTrue(sink.complete(), "template incomplete: " + sink.missingHands() + " hands missing");
            assertEquals(FRAMES, sink.frames());
            assertEquals(2 * FRAMES - 1, sink.hands());
            checkAgainstDirectPredictions(app, takeSet, out);
        }
        return out;
    }

    private void checkAgainstDirectPredictions(StreamApp app, TakeSet takeSet, Path out) throws Exception {
        Submission submission = new SubmissionReader().read(out);
        HandCropper cropper = new HandCropper(new UndistortionMapCache(1), 2);
        var annotation = new GtAnnoReader().read(dir.resolve("ego_pose_gt_anno_test_public.json"));
        int checked = 0;
        for (var frame : annotation.takes().get(TAKE).frames().values()) {
            byte[] jpeg = Files.readAllBytes(dir.resolve("images/test").resolve(TAKE_NAME).resolve(String.format("%06d.jpg", frame.frameNumber())));
            for (HandSide side : HandSide.values()) {
                Optional<HandBox> box = frame.hand(side).box();
                Optional<Joints3d> submitted = submission.get(TAKE, frame.frameNumber(), side);
                assertEquals(box.isPresent(), submitted.isPresent(), "frame " + frame.frameNumber() + " " + side);
                if (box.isEmpty()) {
                    continue;
                }
                Joints3d direct = app.model().predict(cropper.cropUndistorted(jpeg, List.of(box.get()))).get(0);
                double[] a = direct.xyz();
                double[] b = submitted.get().xyz();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-5, "frame " + frame.frameNumber() + " " + side + " coordinate " + i);
                }
                checked++;
            }
        }
        assertEquals(2 * FRAMES - 1, checked);
    }
}
