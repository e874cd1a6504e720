package dev.egopose.faults;

import dev.egopose.avro.Topic;
import dev.egopose.schema.HandPoses;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the poses topic from the beginning, under {@code read_committed} as any downstream consumer
 * would (or {@code read_uncommitted}, to see the records of aborted transactions too), and counts the
 * records of each frame. Poll it while a scenario runs to follow progress; {@link #readToEnd} then
 * reads up to the current end of every partition (the last stable offset under read_committed).
 */
final class PoseLedger implements AutoCloseable {
    private final KafkaConsumer<String, HandPoses> consumer;
    private final List<TopicPartition> partitions;
    private final Map<FrameKey, Integer> counts = new HashMap<>();
    private int records;

    PoseLedger(String bootstrap, Topic<String, HandPoses> poses) {
        this(properties(bootstrap), poses);
    }

    /** A ledger that also counts records of aborted (and still open) transactions. */
    static PoseLedger uncommitted(String bootstrap, Topic<String, HandPoses> poses) {
        Properties props = properties(bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return new PoseLedger(props, poses);
    }

    private PoseLedger(Properties props, Topic<String, HandPoses> poses) {
        consumer = new KafkaConsumer<>(props, poses.keySerde().deserializer(), poses.valueSerde().deserializer());
        partitions = consumer.partitionsFor(poses.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    static Properties properties(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    /** Polls once (up to 200 ms) and returns the number of committed pose records read so far. */
    int poll() {
        for (ConsumerRecord<String, HandPoses> record : consumer.poll(Duration.ofMillis(200))) {
            records++;
            counts.merge(new FrameKey(record.value().getTakeUid(), Math.toIntExact(record.value().getFrameNumber())), 1, Integer::sum);
        }
        return records;
    }

    /** Polls until every partition is read up to its last stable offset (as it is now). */
    void readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("poses topic not read to its end " + end + " within " + timeout.toSeconds() + " s");
            }
            poll();
        }
    }

    int records() {
        return records;
    }

    /** Expected frames without any pose record. */
    int lost(Set<FrameKey> expected) {
        return (int) expected.stream().filter(f -> !counts.containsKey(f)).count();
    }

    /** Records beyond the first of a frame, plus records of frames that were never replayed. */
    int duplicated(Set<FrameKey> expected) {
        int extra = 0;
        for (Map.Entry<FrameKey, Integer> e : counts.entrySet()) {
            extra += expected.contains(e.getKey()) ? e.getValue() - 1 : e.getValue();
        }
        return extra;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
