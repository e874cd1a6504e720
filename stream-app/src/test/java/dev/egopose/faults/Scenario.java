package dev.egopose.faults;

import dev.egopose.avro.Topics;
import dev.egopose.broker.TopicAdmin;
import dev.egopose.egoexo.GtAnnoReader;
import dev.egopose.schema.HandPoses;
import dev.egopose.sink.PoseSink;
import dev.egopose.sink.SinkReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One fault scenario on one broker: its own topics and application id, the take set it replays,
 * the CLI processes it starts (every one killed on {@link #close()}), and the checks it ends with.
 * Processors run the bundled tiny model with one libtorch thread, batch sizes 1 and 2 and one stream
 * thread, so a frame's batch never depends on timing. Kafka's session timeout is 6 s (the broker's
 * minimum) so that a killed member leaves the group quickly, and Kafka Streams commits every
 * {@value #COMMIT_INTERVAL_MS} ms instead of every 100 ms, so that a kill between two commits finds
 * poses of an open transaction already on the broker (read_committed must never show them).
 */
final class Scenario implements AutoCloseable {
    static final String PROCESSOR_READY = "Ctrl-C to stop";
    static final Duration PROCESS_START = Duration.ofSeconds(90);
    static final int COMMIT_INTERVAL_MS = 1000;
    private static final Path LOGS = Path.of("target", "faults").toAbsolutePath();

    private final String id;
    private final String bootstrap;
    private final Path dir;
    private final TakeFiles takes;
    private final Topics topics;
    private final List<CliProcess> processes = new ArrayList<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final long startNanos = System.nanoTime();

    /**
     * @param id        unique among scenarios: names the topics, application id and log folder
     * @param bootstrap the broker (which may not run yet)
     * @param dir       a folder for the processors' state
     */
    Scenario(String id, String bootstrap, Path dir, TakeFiles takes) {
        this.id = id;
        this.bootstrap = bootstrap;
        this.dir = dir;
        this.takes = takes;
        this.topics = Topics.named(id + ".frames", id + ".poses", id + ".dlq");
    }

    /** Creates the scenario's topics with {@code partitions} partitions each. */
    void createTopics(int partitions) {
        new TopicAdmin(bootstrap, Duration.ofSeconds(60)).ensureTopics(partitions, topics.names());
    }

    String applicationId() {
        return "faults-" + id;
    }

    Topics topics() {
        return topics;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Starts {@code egopose run} as processor {@code instance} (its own state folder, kept across
     * restarts of the same instance; Kafka client id {@code <application id>-<instance>}); returns
     * without waiting for it to be ready.
     */
    CliProcess startProcessor(String instance) {
        List<String> args = new ArrayList<>(List.of("run", "--bootstrap", bootstrap, "--status-every", "5"));
        Map<String, String> set = new LinkedHashMap<>();
        set.put("application.id", applicationId());
        set.put("topic.frames", topics.frames().name());
        set.put("topic.poses", topics.poses().name());
        set.put("topic.dlq", topics.dlq().name());
        set.put("num.stream.threads", "1");
        set.put("state.dir", dir.resolve("state-" + id + "-" + instance).toString());
        set.put("model.torch.threads", "1");
        set.put("model.batch.sizes", "1,2");
        set.put("kafka.session.timeout.ms", "6000");
        set.put("kafka.heartbeat.interval.ms", "1000");
        set.put("kafka.commit.interval.ms", Integer.toString(COMMIT_INTERVAL_MS));
        set.put("kafka.client.id", applicationId() + "-" + instance);
        set.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
        return start("processor-" + instance, args);
    }

    /** Starts a processor and waits until it runs. */
    CliProcess processor(String instance) throws InterruptedException {
        CliProcess processor = startProcessor(instance);
        processor.awaitLog(PROCESSOR_READY, PROCESS_START);
        return processor;
    }

    /** Starts {@code egopose replay} of the whole take set at {@code fps} (0 = as fast as possible). */
    CliProcess replay(double fps) {
        return start("replay", List.of("replay", "--bootstrap", bootstrap, "--set", "topic.frames=" + topics.frames().name(),
                "--anno", takes.anno().toString(), "--images", takes.images().toString(), "--fps", Double.toString(fps)));
    }

    /** Starts any other command (a broker, say) as part of this scenario, so that it is killed with it. */
    CliProcess start(String label, List<String> args) {
        int n = starts.merge(label, 1, Integer::sum);
        CliProcess process = CliProcess.start(label + "#" + n, LOGS.resolve(id).resolve(label + "-" + n + ".log"), args);
        processes.add(process);
        return process;
    }

    /** Waits for a replay to end and checks that the broker acknowledged every frame of the take set. */
    void awaitReplayed(CliProcess replay, Duration timeout) throws InterruptedException {
        int rc = replay.awaitExit(timeout);
        int frames = takes.frames().size();
        if (rc != 0) {
            throw new AssertionError("replay exited with " + rc + replay.tail());
        }
        replay.awaitLog("replayed " + frames + " of " + frames + " frames", Duration.ZERO);
    }

    /**
     * Waits until the application's committed input offsets reach the end of the frames topic: every
     * frame processed and, under exactly-once, its poses committed with it.
     */
    void awaitCommitted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing asked yet";
        try (Admin admin = Admin.create(adminProperties())) {
            while (System.nanoTime() < deadline) {
                try {
                    Map<TopicPartition, Long> end = endOffsets(admin, topics.frames().name(), IsolationLevel.READ_UNCOMMITTED);
                    Map<TopicPartition, OffsetAndMetadata> committed =
                            admin.listConsumerGroupOffsets(applicationId()).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                    if (end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue())) {
                        return;
                    }
                    last = "end " + end + ", committed " + committed;
                } catch (ExecutionException | TimeoutException | KafkaException e) {
                    last = e.toString();
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("input not committed within " + timeout.toSeconds() + " s: " + last + tails());
    }

    /**
     * Waits until no transaction is open on the poses topic (its last stable offset equals its high
     * watermark in every partition), so that read_committed sees all there is; returns the seconds
     * waited. A killed processor's open transaction holds the last stable offset back until the
     * broker aborts it ({@code transaction.timeout.ms} after its last use).
     */
    double awaitPosesSettled(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = "nothing asked yet";
        try (Admin admin = Admin.create(adminProperties())) {
            while (System.nanoTime() < deadline) {
                try {
                    Map<TopicPartition, Long> stable = endOffsets(admin, topics.poses().name(), IsolationLevel.READ_COMMITTED);
                    Map<TopicPartition, Long> written = endOffsets(admin, topics.poses().name(), IsolationLevel.READ_UNCOMMITTED);
                    if (stable.equals(written)) {
                        return (System.nanoTime() - start) / 1e9;
                    }
                    last = "last stable offsets " + stable + ", high watermarks " + written;
                } catch (ExecutionException | TimeoutException | KafkaException e) {
                    last = e.toString();
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("a transaction is still open on the poses topic after " + timeout.toSeconds() + " s: " + last + tails());
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, IsolationLevel isolation)
            throws ExecutionException, InterruptedException, TimeoutException {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(5, TimeUnit.SECONDS)
                .forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return props;
    }

    /** The frames-topic partitions each member of the application's group holds, by Kafka client id. */
    Map<String, Set<Integer>> assignment() throws InterruptedException {
        try (Admin admin = Admin.create(adminProperties())) {
            Map<String, Set<Integer>> owned = new HashMap<>();
            for (MemberDescription member : admin.describeConsumerGroups(List.of(applicationId())).all().get(5, TimeUnit.SECONDS)
                    .get(applicationId()).members()) {
                Set<Integer> partitions = new HashSet<>();
                member.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(topics.frames().name()))
                        .forEach(tp -> partitions.add(tp.partition()));
                owned.put(member.clientId(), partitions);
            }
            return owned;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return Map.of();
        }
    }

    /** Records on the dead-letter topic, read to its end under read_committed. */
    long deadLetters() {
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(PoseLedger.properties(bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.dlq().name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("dead-letter topic not read to its end " + end + " within 30 s");
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    /** The sink ({@link PoseSink}, read_committed, the take set's gt_anno as template) into {@code out}. */
    SinkReport sink(Path out) throws IOException {
        Properties props = PoseLedger.properties(bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-sink-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, HandPoses> consumer =
                     new KafkaConsumer<>(props, topics.poses().keySerde().deserializer(), topics.poses().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.poses().name()));
            return new PoseSink(consumer, out, Optional.of(new GtAnnoReader().read(takes.anno())), Duration.ofSeconds(30), Duration.ofSeconds(5))
                    .run(n -> {});
        }
    }

    /**
     * Once the replay has ended: waits until the input is committed and no transaction is open on the
     * poses topic, reads it to its end (committed records, and all records to count the aborted ones)
     * and prints the {@code faults:} line.
     */
    Outcome finish(String scenario, PoseLedger ledger, int kills, String detail) throws InterruptedException {
        awaitCommitted(Duration.ofSeconds(120));
        double settle = awaitPosesSettled(Duration.ofSeconds(60));
        ledger.readToEnd(Duration.ofSeconds(60));
        int written;
        try (PoseLedger all = PoseLedger.uncommitted(bootstrap, topics.poses())) {
            all.readToEnd(Duration.ofSeconds(60));
            written = all.records();
        }
        Set<FrameKey> expected = takes.frameSet();
        Outcome outcome = new Outcome(scenario, expected.size(), ledger.records(), ledger.lost(expected), ledger.duplicated(expected),
                written - ledger.records(), deadLetters(), kills, seconds(), settle, detail);
        System.out.println(outcome.line());
        return outcome;
    }

    /** The tails of every process log of this scenario, for assertion messages. */
    String tails() {
        StringBuilder out = new StringBuilder();
        processes.forEach(p -> out.append(p.tail()));
        return out.toString();
    }

    @Override
    public void close() {
        processes.forEach(CliProcess::close);
    }
}
