package dev.egopose.cli;

import dev.egopose.avro.Topics;
import dev.egopose.config.Settings;
import dev.egopose.replay.ReplayFrame;
import dev.egopose.replay.ReplayReport;
import dev.egopose.replay.HandTrackingSource;
import dev.egopose.replay.Replayer;
import dev.egopose.replay.TakeSet;
import dev.egopose.schema.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code egopose replay}: publishes a recorded take set (Ego-Exo4D layout) as frames. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Publish a take set in the Ego-Exo4D layout as frames, with its annotation's hand boxes.",
            "Undistorted 512x512 frames (--images = aria_img_dir), or distorted Aria frames with --calib",
            "(a folder of per-take calibration JSONs). A missing or unreadable image is counted and",
            "reported, never fatal. Exit status 1 if the broker refused any frame."
        })
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--anno", required = true, paramLabel = "FILE", description = "gt_anno JSON of any split (train/val/test format).")
    Path anno;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Frames folder: DIR/{split}/{take_name}/{frame:06d}.jpg (or without {split}).")
    Path images;

    @Option(names = "--split", paramLabel = "NAME", description = "Split folder under --images (default: from the annotation's file name).")
    String split;

    @Option(names = "--calib", paramLabel = "DIR", description = "Per-take calibration JSONs (DIR/{take_name}.json): frames are distorted fisheye frames.")
    Path calib;

    @Option(names = "--fps", defaultValue = "0", paramLabel = "N", description = "Frames per second (real-time pacing); 0 = as fast as possible (default).")
    double fps;

    @Option(names = "--takes", split = ",", paramLabel = "UID|NAME", description = "Only these takes (uids or names).")
    List<String> takes = List.of();

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "At most N frames (0 = all).")
    int limit;

    @Option(names = "--uri", description = "Send file: URIs instead of inline image bytes (images over 900 kB always go by URI)."
                    + " The processor reads them only under its image.uri.roots (--set image.uri.roots=DIR).")
    boolean byUri;

    /** Where hand boxes come from. */
    enum Boxes { ANNOTATION, HAND_TRACKING, BOTH, DETECTOR }

    @Option(names = "--hand-tracking", paramLabel = "PATH",
            description = {"Aria hand tracking to send with each frame (needs --calib for T_Device_Camera): an MPS",
                "hand_tracking_results.csv or wrist_and_palm_poses.csv for every take, or a folder with",
                "{take_name}/hand_tracking_results.csv (or wrist_and_palm_poses.csv, or {take_name}.csv).",
                "Frames are matched to the nearest sample by device time: see --frame-times, --frame-rate."})
    Path handTracking;

    @Option(names = "--frame-times", paramLabel = "PATH",
            description = "Device time of each frame: a CSV of frame_number,timestamp_us lines, or a folder of {take_name}.csv. "
                    + "Default: --frame-rate from --start-us.")
    Path frameTimes;

    @Option(names = "--frame-rate", defaultValue = "30", paramLabel = "FPS",
            description = "Without --frame-times, frame n is at --start-us + n / FPS seconds (default: ${DEFAULT-VALUE}, Aria's RGB rate).")
    double frameRate;

    @Option(names = "--start-us", paramLabel = "US", description = "Device time of frame 0, microseconds (default: the take's first tracking sample).")
    Long startUs;

    @Option(names = "--tracking-tolerance-ms", defaultValue = "50", paramLabel = "MS",
            description = "A frame gets the nearest sample only within this (default: ${DEFAULT-VALUE}); otherwise no tracked hands.")
    double toleranceMs;

    @Option(names = "--boxes", paramLabel = "SOURCE",
            description = "annotation (its boxes), hand-tracking (tracking only: the processor boxes the hands), both"
                    + " (annotation boxes win where present), or detector (images only: a processor with detector.enabled=true"
                    + " finds the hands). Default: hand-tracking with --hand-tracking, else annotation.")
    String boxes;

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load();
        Boxes source = boxSource();
        SettingsOptions.admin(settings).requireTopics(List.of(settings.framesTopic()));
        TakeSet takeSet = TakeSet.open(anno, images, split, calib);
        List<ReplayFrame> frames = takeSet.frames(new HashSet<>(takes), limit);
        Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        ReplayReport report;
        try (Producer<String, Frame> producer = producer(settings, topics);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("replay").setInitialMax(frames.size()).setUnit(" frames", 1).build()) {
            Replayer replayer = new Replayer(producer, topics.frames(), fps, byUri);
            if (source == Boxes.DETECTOR) {
                replayer = replayer.withoutBoxes();
            } else if (source != Boxes.ANNOTATION) {
                replayer = replayer.withHandTracking(new HandTrackingSource(handTracking, calib, frameTimes, frameRate, startUs,
                        Math.round(toleranceMs * 1000)), source == Boxes.BOTH);
            }
            report = replayer.replay(takeSet, frames, bar::stepTo);
        }
        System.out.printf("replayed %d of %d frames to %s at %s in %.1f s; %d missing or unreadable images, %d not published%n",
                report.published(), frames.size(), settings.framesTopic(), settings.bootstrapServers(), report.seconds(),
                report.missingImages(), report.failedSends());
        report.problems().forEach(p -> System.out.println("  " + p));
        if (!frames.isEmpty() && report.missingImages() == frames.size()) {
            System.out.println("no image was found: is --images the folder that holds {split}/{take_name}/? Its folders: "
                    + folderNames(images) + (split == null ? " (the split was taken from the annotation's file name; set --split)" : ""));
        }
        return report.failedSends() == 0 ? 0 : 1;
    }

    private Boxes boxSource() {
        Boxes source;
        try {
            source = boxes == null ? (handTracking == null ? Boxes.ANNOTATION : Boxes.HAND_TRACKING)
                    : Boxes.valueOf(boxes.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--boxes must be annotation, hand-tracking, both or detector, got '" + boxes + "'");
        }
        if ((source == Boxes.HAND_TRACKING || source == Boxes.BOTH) && handTracking == null) {
            throw new ParameterException(spec.commandLine(), "--boxes " + boxes + " needs --hand-tracking");
        }
        if ((source == Boxes.HAND_TRACKING || source == Boxes.BOTH) && calib == null) {
            throw new ParameterException(spec.commandLine(), "--hand-tracking needs --calib (the takes' calibration JSONs hold T_Device_Camera)");
        }
        if (!(frameRate > 0) || !(toleranceMs >= 0)) {
            throw new ParameterException(spec.commandLine(), "--frame-rate must be positive and --tracking-tolerance-ms not negative");
        }
        return source;
    }

    private static String folderNames(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().toString();
        }
    }

    static Producer<String, Frame> producer(Settings settings, Topics topics) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        // a send to unreachable brokers fails after broker.wait.seconds instead of Kafka's 60 s per frame
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.brokerWaitSeconds() * 1000L);
        props.putAll(settings.kafka());
        return new KafkaProducer<>(props, topics.frames().keySerde().serializer(), topics.frames().valueSerde().serializer());
    }
}
