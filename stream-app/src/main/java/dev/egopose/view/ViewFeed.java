package dev.egopose.view;

import dev.egopose.avro.Topics;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the poses, dead-letter and frames topics into a {@link TakeBoard}, on a thread of its own,
 * from a little before their ends (the newest {@link ViewLimits#framesPerTake()} records of each
 * poses and dead-letter partition, {@link ViewLimits#picturesPerTake()} of each frames partition).
 * It only reads: no consumer group, no commits, nothing the processor keeps. The consumer must read
 * committed records only. A record that does not decode, or that the board or the picture maker
 * refuses, is counted and logged (the first few) and skipped.
 */
public final class ViewFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ViewFeed.class);
    private static final int LOGGED_PROBLEMS = 10;

    private final Consumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final TakeBoard board;
    private final FramePictures pictures;
    private final ViewLimits limits;
    private final Thread thread;
    private final AtomicLong problems = new AtomicLong();
    private volatile boolean closed;

    private ViewFeed(Consumer<byte[], byte[]> consumer, Topics topics, TakeBoard board, FramePictures pictures, ViewLimits limits) {
        this.consumer = consumer;
        this.topics = topics;
        this.board = board;
        this.pictures = pictures;
        this.limits = limits;
        this.thread = new Thread(this::run, "egopose-view-feed");
        this.thread.setDaemon(true);
    }

    /** Assigns the topics' partitions and starts reading; the feed owns and closes the consumer. */
    public static ViewFeed start(Consumer<byte[], byte[]> consumer, Topics topics, TakeBoard board, FramePictures pictures, ViewLimits limits) {
        ViewFeed feed = new ViewFeed(consumer, topics, board, pictures, limits);
        feed.thread.start();
        return feed;
    }

    private void run() {
        try {
            assign();
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        accept(record);
                    } catch (RuntimeException e) {
                        board.bad();
                        if (problems.incrementAndGet() <= LOGGED_PROBLEMS) {
                            LOG.warn("view: skipped {} record at partition {} offset {}: {}", record.topic(), record.partition(), record.offset(),
                                    e.getMessage());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("view: stopped reading the topics: {}", e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics.names()) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            int lookback = p.topic().equals(topics.frames().name()) ? limits.picturesPerTake() : limits.framesPerTake();
            consumer.seek(p, Math.max(begin.get(p), end.get(p) - lookback));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.poses().name())) {
            if (record.value() != null) { // a tombstone carries no poses
                HandPoses poses = topics.poses().deserializeValue(record.value());
                board.pose(poses);
            }
        } else if (topic.equals(topics.dlq().name())) {
            board.deadLetter(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        } else if (record.value() != null) {
            Frame frame = topics.frames().deserializeValue(record.value());
            board.picture(frame.getTakeUid(), frame.getTakeName(), frame.getFrameNumber(), pictures.jpeg(frame));
        }
    }

    /** Stops reading (the board keeps what it has) and waits for the feed's thread; again, does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
