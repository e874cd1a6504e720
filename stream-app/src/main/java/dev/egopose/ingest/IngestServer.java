package dev.egopose.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.egopose.avro.Topic;
import dev.egopose.schema.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames in over HTTP, for headsets. {@code POST /v1/frames}, {@code multipart/form-data} with parts
 * {@code meta} (JSON, see {@link FrameRequests}) and {@code image} (JPEG or PNG):
 * <ul>
 *   <li>202 {@code {"topic", "partition", "offset"}} once Kafka has acknowledged the record;</li>
 *   <li>400 {@code {"error", "field"}} for bad input, naming the field; 401 without the bearer token
 *       when one is configured; 405 for another method; 413 for a body over the limit; 415 for
 *       another content type; 503 when Kafka does not acknowledge within the timeout.</li>
 * </ul>
 * {@code GET /health}: 200 {@code {"status": "ok", "accepted": N}}. {@code GET /metrics}: the
 * {@link Observer}'s Prometheus text, when one is given. The body is read only up to the limit,
 * whatever Content-Length claims.
 */
public final class IngestServer implements AutoCloseable {
    public static final String FRAMES = "/v1/frames";
    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";
    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicLong accepted;
    private final Observer observer;

    /** Told about every frames request answered, and the text of {@code GET /metrics}. */
    public interface Observer extends AutoCloseable {
        /** @param status the HTTP status answered; {@code nanos} from the request's start to the answer */
        void answered(int status, long nanos, long bodyBytes);

        /** The Prometheus text exposition. */
        String scrape();

        @Override
        void close();
    }

    private IngestServer(HttpServer server, ExecutorService workers, AtomicLong accepted, Observer observer) {
        this.server = server;
        this.workers = workers;
        this.accepted = accepted;
        this.observer = observer;
    }

    /** The same without metrics. */
    public static IngestServer start(String host, int port, String token, long maxBodyBytes, long maxPixels,
                                     Producer<String, Frame> producer, Topic<String, Frame> topic, Duration sendTimeout) {
        return start(host, port, token, maxBodyBytes, maxPixels, producer, topic, sendTimeout, null);
    }

    /**
     * Starts serving on {@code host:port} (0: any free port).
     *
     * @param token        bearer token every request must carry, or empty for none
     * @param maxBodyBytes largest request body accepted
     * @param maxPixels    largest image (width x height) accepted
     * @param sendTimeout  longest to wait for Kafka's acknowledgement before answering 503
     * @param observer     metrics of the answered requests, served at {@code /metrics}; null for none (the server closes it)
     */
    public static IngestServer start(String host, int port, String token, long maxBodyBytes, long maxPixels,
                                     Producer<String, Frame> producer, Topic<String, Frame> topic, Duration sendTimeout, Observer observer) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            if (observer != null) {
                observer.close();
            }
            throw new UncheckedIOException("cannot serve ingest on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        AtomicLong accepted = new AtomicLong();
        ObjectMapper json = new ObjectMapper();
        FrameRequests requests = new FrameRequests(maxPixels);
        server.createContext(FRAMES, exchange -> {
            long start = System.nanoTime();
            int status = 500;
            long bodyBytes = 0;
            try (exchange) {
                try {
                    checkToken(exchange, token);
                    if (!"POST".equals(exchange.getRequestMethod())) {
                        throw new BadRequestException(405, "method", "use POST for " + FRAMES);
                    }
                    String boundary = Multipart.boundary(exchange.getRequestHeaders().getFirst("Content-Type"));
                    byte[] body = readBounded(exchange, maxBodyBytes);
                    bodyBytes = body.length;
                    Frame frame = requests.frame(Multipart.parts(body, boundary));
                    RecordMetadata meta = send(producer, topic, frame, sendTimeout);
                    accepted.incrementAndGet();
                    ObjectNode out = json.createObjectNode().put("topic", meta.topic()).put("partition", meta.partition()).put("offset", meta.offset());
                    status = 202;
                    answer(exchange, status, out.toString());
                } catch (BadRequestException e) {
                    status = e.status();
                    answer(exchange, status, json.createObjectNode().put("error", e.getMessage()).put("field", e.field()).toString());
                }
            } finally {
                if (observer != null) {
                    observer.answered(status, System.nanoTime() - start, bodyBytes);
                }
            }
        });
        if (observer != null) {
            server.createContext(METRICS, exchange -> {
                try (exchange) {
                    if (!"GET".equals(exchange.getRequestMethod())) {
                        exchange.getResponseHeaders().set("Allow", "GET");
                        answer(exchange, 405, json.createObjectNode().put("error", "use GET for " + METRICS).put("field", "method").toString());
                        return;
                    }
                    byte[] text = observer.scrape().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, text.length);
                    exchange.getResponseBody().write(text);
                }
            });
        }
        server.createContext(HEALTH, exchange -> {
            try (exchange) {
                answer(exchange, 200, json.createObjectNode().put("status", "ok").put("accepted", accepted.get()).toString());
            }
        });
        ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "egopose-ingest");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.start();
        return new IngestServer(server, workers, accepted, observer);
    }

    private static void checkToken(HttpExchange exchange, String token) {
        if (token.isEmpty()) {
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new BadRequestException(401, "Authorization", "missing or wrong bearer token");
        }
    }

    private static byte[] readBounded(HttpExchange exchange, long maxBodyBytes) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > maxBodyBytes) {
                    throw new BadRequestException(413, "body", "request body of " + length.strip() + " bytes is over the limit of " + maxBodyBytes);
                }
            } catch (NumberFormatException e) {
                throw new BadRequestException(400, "Content-Length", "not a number: " + length);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) Math.min(maxBodyBytes + 1, Integer.MAX_VALUE - 8));
            if (body.length > maxBodyBytes) {
                throw new BadRequestException(413, "body", "request body is over the limit of " + maxBodyBytes + " bytes");
            }
            return body;
        }
    }

    private static RecordMetadata send(Producer<String, Frame> producer, Topic<String, Frame> topic, Frame frame, Duration timeout) {
        try {
            return producer.send(new ProducerRecord<>(topic.name(), frame.getTakeUid(), frame)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadRequestException(503, "kafka", "interrupted while waiting for Kafka");
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("frame {} of {} not published: {}", frame.getFrameNumber(), frame.getTakeUid(), cause.toString());
            throw new BadRequestException(503, "kafka", "Kafka did not take the frame within " + timeout.toMillis() + " ms: " + cause.getMessage());
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Where it listens, as host:port. */
    public String address() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Frames Kafka has acknowledged so far. */
    public long accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
        if (observer != null) {
            observer.close();
        }
    }
}
