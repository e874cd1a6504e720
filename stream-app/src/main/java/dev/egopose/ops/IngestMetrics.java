package dev.egopose.ops;

import dev.egopose.ingest.IngestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Prometheus registry of one ingest server: requests answered by HTTP status
 * ({@code egopose_ingest_requests_total{status}}), the time from a frame's request to its 202
 * ({@code egopose_ingest_frame_seconds}, a histogram: HTTP read, checks and Kafka's acknowledgement),
 * the bytes of accepted frames ({@code egopose_ingest_accepted_bytes_total}) and the ingest
 * producer's own Kafka metrics ({@code kafka_producer_*}).
 */
public final class IngestMetrics implements IngestServer.Observer {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Integer, Counter> requests = new ConcurrentHashMap<>();
    private final Timer accepted;
    private final Counter acceptedBytes;
    private final KafkaClientMetrics producerMetrics;

    public IngestMetrics(Producer<?, ?> producer) {
        accepted = ProcessorMetrics.latencyTimer("egopose.ingest.frame",
                "From a frame's request to its 202 (HTTP read, checks, Kafka's acknowledgement)", registry);
        acceptedBytes = Counter.builder("egopose.ingest.accepted.bytes").description("Request bytes of accepted frames").baseUnit("bytes")
                .register(registry);
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
    }

    @Override
    public void answered(int status, long nanos, long bodyBytes) {
        requests.computeIfAbsent(status, s -> Counter.builder("egopose.ingest.requests").description("Frames requests answered, by HTTP status")
                .tag("status", Integer.toString(s)).register(registry)).increment();
        if (status == 202) {
            accepted.record(nanos, TimeUnit.NANOSECONDS);
            acceptedBytes.increment(bodyBytes);
        }
    }

    @Override
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        producerMetrics.close();
        registry.close();
    }
}
