package dev.egopose.sink;

import dev.egopose.avro.AvroMapping;
import dev.egopose.egoexo.GroundTruth;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionStore;
import dev.egopose.egoexo.SubmissionWriter;
import dev.egopose.egoexo.TemplateFill;
import dev.egopose.schema.HandPose;
import dev.egopose.schema.HandPoses;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Reads {@link HandPoses} from the poses topic into a submission and writes it as the benchmark's
 * JSON. Idempotent: a re-delivered pose overwrites the same take/frame/hand. Each write replaces the
 * file atomically (temp file + rename), so a reader never sees half a file. With a template (a
 * gt_anno JSON) every template frame appears, hands without a box or prediction as {@code []}, and
 * the sink ends as soon as every boxed hand has its pose; otherwise it ends after {@code idle}
 * without new records.
 */
public final class PoseSink {
    private final Consumer<String, HandPoses> consumer;
    private final Path output;
    private final Optional<GroundTruth> template;
    private final Duration idle;
    private final Duration writeEvery;
    private final SubmissionStore store = new SubmissionStore();
    private final SubmissionWriter writer = new SubmissionWriter();
    private final Set<String> frames = new HashSet<>();
    private final List<Double> latencies = new ArrayList<>();
    private long records;
    private double decodeMs;
    private double cropMs;
    private double modelMs;
    private long firstCaptureMs = Long.MAX_VALUE;
    private long lastEmittedMs;

    /**
     * @param consumer   subscribed (or assigned) to the poses topic
     * @param output     the submission JSON to write
     * @param template   gt_anno JSON whose frames must all appear, if any
     * @param idle       stop after this long without a record
     * @param writeEvery rewrite the file at most this often while running
     */
    public PoseSink(Consumer<String, HandPoses> consumer, Path output, Optional<GroundTruth> template, Duration idle, Duration writeEvery) {
        this.consumer = consumer;
        this.output = output;
        this.template = template;
        this.idle = idle;
        this.writeEvery = writeEvery;
    }

    /**
     * Consumes until the template is complete or the topic has been idle; writes the submission.
     *
     * @param progress told the number of hands collected so far
     */
    public SinkReport run(IntConsumer progress) throws IOException {
        long lastRecord = System.nanoTime();
        long lastWrite = System.nanoTime();
        boolean dirty = false;
        boolean complete = false;
        while (!complete) {
            ConsumerRecords<String, HandPoses> batch = consumer.poll(Duration.ofMillis(200));
            long now = System.nanoTime();
            if (batch.isEmpty()) {
                if (now - lastRecord > idle.toNanos()) {
                    break;
                }
                if (dirty && now - lastWrite > writeEvery.toNanos()) {
                    writer.write(fill().submission(), output);
                    lastWrite = now;
                    dirty = false;
                }
                continue;
            }
            lastRecord = now;
            for (ConsumerRecord<String, HandPoses> record : batch) {
                if (record.value() != null) { // a tombstone carries no poses
                    accept(record.value());
                }
            }
            dirty = true;
            progress.accept(store.size());
            // Only new poses can complete the template or need writing: one snapshot per batch, none while idle.
            TemplateFill fill = fill();
            complete = template.isPresent() && !template.get().takes().isEmpty() && fill.missingHands() == 0;
            if (!complete && now - lastWrite > writeEvery.toNanos()) {
                writer.write(fill.submission(), output);
                lastWrite = now;
                dirty = false;
            }
        }
        TemplateFill fill = fill();
        writer.write(fill.submission(), output);
        return report(fill);
    }

    private void accept(HandPoses poses) {
        records++;
        decodeMs += poses.getDecodeMs();
        cropMs += poses.getCropMs();
        modelMs += poses.getModelMs();
        int frame = Math.toIntExact(poses.getFrameNumber());
        frames.add(poses.getTakeUid() + "/" + frame);
        for (HandPose hand : poses.getHands()) {
            store.put(poses.getTakeUid(), frame, AvroMapping.toDomain(hand.getSide()), AvroMapping.toJoints(hand.getJoints()));
        }
        long captureMs = poses.getCaptureTimeNs() / 1_000_000L;
        firstCaptureMs = Math.min(firstCaptureMs, captureMs);
        lastEmittedMs = Math.max(lastEmittedMs, poses.getEmittedAtMs());
        // in nanoseconds first: truncating the capture time to whole ms would overstate every latency by up to 1 ms
        latencies.add((poses.getEmittedAtMs() * 1_000_000L - poses.getCaptureTimeNs()) / 1e6);
    }

    private TemplateFill fill() {
        Submission snapshot = store.snapshot();
        return template.map(snapshot::fillTemplate)
                .orElseGet(() -> new TemplateFill(snapshot, snapshot.handCount(), snapshot.handCount(), 0));
    }

    private SinkReport report(TemplateFill fill) {
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new SinkReport(frames.size(), store.size(), records, fill.missingHands() == 0, fill.missingHands(),
                percentile(sorted, 0.50), percentile(sorted, 0.99),
                firstCaptureMs == Long.MAX_VALUE ? 0 : firstCaptureMs, lastEmittedMs,
                new SinkReport.StageTimes(mean(decodeMs), mean(cropMs), mean(modelMs)));
    }

    private double mean(double total) {
        return records == 0 ? 0 : total / records;
    }

    /** Nearest-rank percentile of sorted values, {@code p} in 0..1; 0 without values. */
    public static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
