package dev.egopose.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.model.Batcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** The health semantics per Kafka Streams state, and the endpoints over real HTTP. */
class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(OpsServer server, String path, String method) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void liveUnlessStoppedOrFailedReadyOnlyWhenRunningWithTheModel() {
        assertTrue(Health.starting().live());
        assertFalse(Health.starting().ready());
        for (State state : State.values()) {
            Health loaded = new Health(Optional.of(state), true);
            boolean dead = state == State.NOT_RUNNING || state == State.PENDING_ERROR || state == State.ERROR;
            assertEquals(!dead, loaded.live(), state.name());
            assertEquals(state == State.RUNNING, loaded.ready(), state.name());
            assertFalse(new Health(Optional.of(state), false).ready(), state + " without the model");
        }
    }

    @Test
    void endpointsFollowTheStateAndMetricsAreScrapable() throws Exception {
        AtomicReference<Health> health = new AtomicReference<>(Health.starting());
        try (ProcessorMetrics metrics = new ProcessorMetrics();
             OpsServer server = OpsServer.start("127.0.0.1", 0, metrics, health::get)) {
            assertEquals(503, get(server, OpsServer.READY, "GET").statusCode());
            HttpResponse<String> live = get(server, OpsServer.LIVE, "GET");
            assertEquals(200, live.statusCode());
            assertEquals("kafka-streams=NOT_CREATED model=loading\n", live.body());

            health.set(new Health(Optional.of(State.REBALANCING), true));
            assertEquals(503, get(server, OpsServer.READY, "GET").statusCode());
            health.set(new Health(Optional.of(State.RUNNING), true));
            HttpResponse<String> ready = get(server, OpsServer.READY, "GET");
            assertEquals(200, ready.statusCode());
            assertEquals("kafka-streams=RUNNING model=loaded\n", ready.body());
            health.set(new Health(Optional.of(State.ERROR), true));
            assertEquals(503, get(server, OpsServer.LIVE, "GET").statusCode());
            assertTrue(get(server, OpsServer.LIVE, "GET").body().contains("ERROR"));
            assertEquals(503, get(server, OpsServer.READY, "GET").statusCode());

            Batcher.Stats[] stats = {new Batcher.Stats(3, 7, 7 / 3.0, 1.5)};
            metrics.bindBatcherStats(() -> stats[0]);
            metrics.batchRan(4, 20_000_000L);
            metrics.batchRan(2, 10_000_000L);
            System.gc();
            HttpResponse<String> scrape = get(server, OpsServer.METRICS, "GET");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            String text = scrape.body();
            assertTrue(text.contains("egopose_batch_size_crops_count 2"), text);
            assertTrue(text.contains("egopose_batch_size_crops_sum 6.0"), text);
            assertTrue(text.contains("egopose_batch_size_crops_bucket{le=\"4.0\"} 2"), text);
            assertTrue(text.contains("egopose_model_batch_seconds_sum 0.03"), text);
            assertTrue(text.contains("egopose_batcher_batches_total 3.0") && text.contains("egopose_batcher_crops_total 7.0"), text);
            assertTrue(text.contains("egopose_batcher_mean_queue_wait_milliseconds 1.5"), text);

            assertEquals(405, get(server, OpsServer.METRICS, "POST").statusCode());
            assertEquals(404, get(server, "/health/other", "GET").statusCode());
            assertEquals(404, get(server, "/", "GET").statusCode());
        }
    }

    @Test
    void aTakenPortIsOneClearError() {
        try (ProcessorMetrics metrics = new ProcessorMetrics();
             OpsServer first = OpsServer.start("127.0.0.1", 0, metrics, Health::starting)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> OpsServer.start("127.0.0.1", first.port(), metrics, Health::starting));
            assertTrue(e.getMessage().startsWith("cannot serve metrics on 127.0.0.1:" + first.port()), e.getMessage());
        }
    }
}
