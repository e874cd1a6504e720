package dev.egopose.ops;

import dev.egopose.model.Batcher;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Prometheus registry of one stream processor. It holds Kafka Streams' own metrics, the egopose
 * sensors of the topology among them ({@code kafka_stream_egopose_*}: per-stage latency, frames,
 * dead letters by stage, capture-to-pose latency), and the model batches ({@code egopose_batch_*},
 * {@code egopose_batcher_*}).
 */
public final class ProcessorMetrics implements AutoCloseable {
    /** How often metrics that Kafka Streams creates later (new tasks after a rebalance) are picked up. */
    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchSize;
    private final Timer modelTime;
    private ScheduledExecutorService refresher;
    private KafkaStreamsMetrics streamsMetrics;
    /** Micrometer holds the objects of function meters weakly; this keeps the batcher's statistics source alive. */
    private Supplier<Batcher.Stats> batcherStats;

    public ProcessorMetrics() {
        batchSize = DistributionSummary.builder("egopose.batch.size")
                .description("Crops per model batch (before padding to a fixed shape)")
                .baseUnit("crops")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        modelTime = latencyTimer("egopose.model.batch", "Model time per batch", registry);
    }

    /** A timer with a percentile histogram from 1 ms to 30 s: the range of egopose's latencies (batches, frames). */
    static Timer latencyTimer(String name, String description, MeterRegistry registry) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /** Records one model batch: how many crops it held and how long the model took. */
    public void batchRan(int crops, long modelNanos) {
        batchSize.record(crops);
        modelTime.record(modelNanos, TimeUnit.NANOSECONDS);
    }

    /** Counters and gauges read from the batcher's statistics on every scrape (e.g. {@code batcher::stats}). */
    public synchronized void bindBatcherStats(Supplier<Batcher.Stats> stats) {
        if (batcherStats != null) {
            throw new IllegalStateException("batcher statistics already bound");
        }
        batcherStats = stats;
        FunctionCounter.builder("egopose.batcher.batches", stats, s -> s.get().batches())
                .description("Model batches run since start").register(registry);
        FunctionCounter.builder("egopose.batcher.crops", stats, s -> s.get().crops())
                .description("Crops posed since start").register(registry);
        Gauge.builder("egopose.batcher.mean.batch", stats, s -> s.get().meanBatch())
                .description("Mean crops per batch since start").register(registry);
        Gauge.builder("egopose.batcher.mean.queue.wait", stats, s -> s.get().meanQueueWaitMs())
                .description("Mean wait of a request before its batch ran, since start").baseUnit("milliseconds").register(registry);
    }

    /** Binds the Kafka Streams client's metrics (once, when it exists). */
    public synchronized void bindStreams(KafkaStreams streams) {
        if (streamsMetrics != null) {
            throw new IllegalStateException("Kafka Streams metrics already bound");
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "egopose-metrics-refresh");
            t.setDaemon(true);
            return t;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams, List.of(), refresher, REFRESH);
        streamsMetrics.bindTo(registry);
    }

    /** The registry, for the HTTP server. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
            refresher.shutdownNow();
        }
        registry.close();
    }
}
