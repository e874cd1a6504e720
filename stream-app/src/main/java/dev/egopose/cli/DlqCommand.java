package dev.egopose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.avro.Topics;
import dev.egopose.config.Settings;
import dev.egopose.schema.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code egopose dlq}: what the processor refused, and why. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = {
            "Print the dead letters: every frame the processor refused, with the reason.",
            "Reads topic.dlq from the beginning (committed transactions only), one line per dead letter",
            "(source partition@offset, stage, attempts, reason), or one JSON object per line with --json.",
            "Ends after --idle-timeout without new letters. A value that cannot be read as a DeadLetter is",
            "reported, not fatal."
        })
final class DlqCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions = new SettingsOptions();

    @Option(names = "--json", description = "One JSON object per dead letter (original bytes as their length only).")
    boolean json;

    @Option(names = "--idle-timeout", defaultValue = "5", paramLabel = "SECONDS", description = "Stop after this long without new letters (default: ${DEFAULT-VALUE}).")
    double idleSeconds;

    @Override
    public Integer call() {
        Settings settings = settingsOptions.load();
        Topics topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "egopose-dlq-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ObjectMapper mapper = new ObjectMapper();
        int letters = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(settings.dlqTopic()));
            long idleNanos = (long) (idleSeconds * 1e9);
            long lastNew = System.nanoTime();
            while (System.nanoTime() - lastNew < idleNanos) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    lastNew = System.nanoTime();
                    letters++;
                    System.out.println(describe(record, topics, mapper));
                }
            }
        }
        if (!json) {
            System.out.println(letters + " dead letters on " + settings.dlqTopic());
        }
        return 0;
    }

    private String describe(ConsumerRecord<byte[], byte[]> record, Topics topics, ObjectMapper mapper) {
        DeadLetter letter;
        try {
            letter = topics.dlq().deserializeValue(record.value());
        } catch (RuntimeException e) {
            return "dlq offset " + record.partition() + "@" + record.offset() + ": not a dead letter: " + e.getMessage();
        }
        if (!json) {
            return String.format("%s-%d@%d  %-6s x%d  %s", letter.getSourceTopic(), letter.getSourcePartition(), letter.getSourceOffset(),
                    letter.getStage(), letter.getAttempts(), letter.getReason());
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("source_topic", letter.getSourceTopic());
        node.put("source_partition", letter.getSourcePartition());
        node.put("source_offset", letter.getSourceOffset());
        node.put("stage", letter.getStage());
        node.put("reason", letter.getReason());
        node.put("exception_class", letter.getExceptionClass());
        node.put("attempts", letter.getAttempts());
        node.put("application_id", letter.getApplicationId());
        node.put("task_id", letter.getTaskId());
        node.put("failed_at_ms", letter.getFailedAtMs());
        node.put("original_value_bytes", letter.getOriginalValue() == null ? 0 : letter.getOriginalValue().remaining());
        return node.toString();
    }
}
