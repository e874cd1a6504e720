package dev.egopose.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The processor's HTTP endpoints, on the JDK's own server (no framework):
 * <ul>
 *   <li>{@value #METRICS}: Prometheus text format of {@link ProcessorMetrics};</li>
 *   <li>{@value #LIVE}: 200 unless the Kafka Streams client is NOT_RUNNING or in ERROR, else 503;</li>
 *   <li>{@value #READY}: 200 only when Kafka Streams is RUNNING and the model is loaded, else 503.</li>
 * </ul>
 * Health bodies are one line naming the state (see {@link Health#describe()}).
 */
public final class OpsServer implements AutoCloseable {
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code host:port} (port 0: any free one).
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    public static OpsServer start(String host, int port, ProcessorMetrics metrics, Supplier<Health> health) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext(METRICS, exchange -> answer(exchange, 200, PROMETHEUS_TEXT, metrics.scrape()));
        server.createContext(LIVE, exchange -> {
            Health h = health.get();
            answer(exchange, h.live() ? 200 : 503, "text/plain; charset=utf-8", h.describe() + "\n");
        });
        server.createContext(READY, exchange -> {
            Health h = health.get();
            answer(exchange, h.ready() ? 200 : 503, "text/plain; charset=utf-8", h.describe() + "\n");
        });
        server.start();
        return new OpsServer(server);
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean exact = exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath());
            if (!exact) {
                status = 404;
                body = "not found\n";
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                status = 405;
                body = "method not allowed\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address it listens on, {@code host:port}. */
    public String address() {
        return server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
