package dev.egopose.cli;

import dev.egopose.avro.Topics;
import dev.egopose.config.Settings;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.schema.HandPoses;
import dev.egopose.sink.PoseSink;
import dev.egopose.sink.SinkReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code egopose sink}: the poses topic into the benchmark's submission JSON. */
@Command(
        name = "sink",
        mixinStandardHelpOptions = true,
        description = {
            "Write the poses topic into the Ego-Exo4D submission JSON.",
            "Reads topic.poses from the beginning (committed transactions only). The file is replaced",
            "atomically at every write; a re-delivered pose overwrites the same take/frame/hand. With",
            "--template every frame of that gt_anno file appears (hands without a box or prediction as [])",
            "and the sink ends once every boxed hand has a pose; in any case it ends after --idle-timeout",
            "without new poses."
        })
final class SinkCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Submission JSON to write.")
    Path out;

    @Option(names = "--template", paramLabel = "FILE", description = "gt_anno JSON (e.g. the test split) whose frames must all appear.")
    Path template;

    @Option(names = "--idle-timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Stop after this long without new poses (default: ${DEFAULT-VALUE}).")
    double idleSeconds;

    @Option(names = "--group", paramLabel = "ID", description = "Consumer group id (default: a fresh one, so the whole topic is read).")
    String group;

    @Override
    public Integer call() throws Exception {
        Settings settings = settingsOptions.load();
        SettingsOptions.admin(settings).requireTopics(List.of(settings.posesTopic()));
        Optional<GroundTruth> templateGt = template == null ? Optional.empty() : Optional.of(new GtAnnoReader().read(template));
        Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        int expected = templateGt.map(gt -> gt.boxedHands(dev.egopose.domain.HandSide.LEFT) + gt.boxedHands(dev.egopose.domain.HandSide.RIGHT)).orElse(0);
        SinkReport report;
        try (Consumer<String, HandPoses> consumer = consumer(settings, topics, group);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("sink").setInitialMax(expected > 0 ? expected : -1).setUnit(" hands", 1).build()) {
            consumer.subscribe(List.of(settings.posesTopic()));
            report = new PoseSink(consumer, out, templateGt, Duration.ofMillis((long) (idleSeconds * 1000)), Duration.ofSeconds(2)).run(bar::stepTo);
        }
        System.out.printf("wrote %s: %d frames, %d hands%s%n", out, report.frames(), report.hands(),
                templateGt.isPresent() ? (report.complete() ? " (template complete)" : ", " + report.missingHands() + " template hands missing") : "");
        return 0;
    }

    static Consumer<String, HandPoses> consumer(Settings settings, Topics topics, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group != null ? group : "egopose-sink-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(settings.kafka());
        return new KafkaConsumer<>(props, topics.poses().keySerde().deserializer(), topics.poses().valueSerde().deserializer());
    }
}
