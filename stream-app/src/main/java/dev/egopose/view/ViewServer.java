package dev.egopose.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The live view's pages and endpoints on the JDK's HTTP server. Everything a page loads comes from
 * here (its scripts and style from the jar; no other origin, enforced by a Content-Security-Policy):
 * <ul>
 *   <li>{@code /}: the takes, with poses, frames/s, latency and dead letters (rendered here, refreshed by the page each second);</li>
 *   <li>{@code /take/<uid>}: one take live (also before its first pose);</li>
 *   <li>{@code /api/takes}: the list as JSON; {@code /api/takes/<uid>}: the take's newest poses as JSON, 404 if unknown;</li>
 *   <li>{@code /api/takes/<uid>/events}: Server-Sent Events, one {@code pose} event per pose record, the newest
 *       {@value #REPLAYED} first; at most {@value #MAX_STREAMS} at a time (503 beyond);</li>
 *   <li>{@code /api/takes/<uid>/pictures/<frame>}: a kept picture (JPEG of the 512 view), 404 if not kept.</li>
 * </ul>
 * Take uids travel percent-encoded as one path segment. Text from the topics reaches HTML only escaped.
 */
public final class ViewServer implements AutoCloseable {
    public static final int MAX_STREAMS = 16;
    static final int REPLAYED = 60;
    private static final int WATCHER_QUEUE = 256;
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String CSP = "default-src 'self'; img-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'";
    private static final Map<String, String> ASSETS = Map.of(
            "index.js", "text/javascript; charset=utf-8",
            "take.js", "text/javascript; charset=utf-8",
            "view.css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService executor;
    private final TakeBoard board;
    private final Map<String, byte[]> assets;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    private ViewServer(HttpServer server, ExecutorService executor, TakeBoard board, Map<String, byte[]> assets) {
        this.server = server;
        this.executor = executor;
        this.board = board;
        this.assets = assets;
    }

    /**
     * Starts serving {@code board} on {@code host:port} (port 0: any free one).
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    public static ViewServer start(String host, int port, TakeBoard board) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 32);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the view on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(MAX_STREAMS + 8, r -> {
            Thread t = new Thread(r, "egopose-view-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        ViewServer view = new ViewServer(server, executor, board, loadAssets());
        server.createContext("/", view::handle);
        server.start();
        return view;
    }

    /** host:port it listens on. */
    public String address() {
        InetSocketAddress a = server.getAddress();
        return a.getHostString() + ":" + a.getPort();
    }

    /** The page of one take. */
    public String takeUrl(String uid) {
        return "http://" + address() + "/take/" + encode(uid);
    }

    private static Map<String, byte[]> loadAssets() {
        Map<String, byte[]> loaded = new LinkedHashMap<>();
        for (String name : ASSETS.keySet()) {
            try (InputStream in = ViewServer.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("view asset " + name + " is missing from the jar");
                }
                loaded.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read view asset " + name, e);
            }
        }
        return Map.copyOf(loaded);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                text(exchange, 405, "method not allowed");
                return;
            }
            List<String> path;
            try {
                path = segments(exchange.getRequestURI().getRawPath());
            } catch (IllegalArgumentException e) {
                text(exchange, 400, "bad path: " + e.getMessage());
                return;
            }
            route(exchange, path);
        } catch (IOException e) {
            // the page went away mid-answer: nothing to do
        }
    }

    private void route(HttpExchange exchange, List<String> path) throws IOException {
        int n = path.size();
        if (n == 0) {
            html(exchange, indexPage());
        } else if (n == 2 && path.get(0).equals("take") && holdable(path.get(1))) {
            html(exchange, takePage(path.get(1)));
        } else if (n == 2 && path.get(0).equals("assets") && ASSETS.containsKey(path.get(1))) {
            respond(exchange, 200, ASSETS.get(path.get(1)), assets.get(path.get(1)));
        } else if (n >= 2 && path.get(0).equals("api") && path.get(1).equals("takes")) {
            api(exchange, path.subList(2, n));
        } else {
            text(exchange, 404, "not found");
        }
    }

    private void api(HttpExchange exchange, List<String> rest) throws IOException {
        if (rest.isEmpty()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("totals", board.totals());
            body.put("takes", board.summaries());
            json(exchange, 200, body);
            return;
        }
        String uid = rest.get(0);
        if (rest.size() == 1) {
            Optional<TakeBoard.Snapshot> snapshot = board.snapshot(uid, board.limits().framesPerTake());
            if (snapshot.isPresent()) {
                json(exchange, 200, snapshot.get());
            } else {
                json(exchange, 404, Map.of("error", "no take " + uid + " seen"));
            }
        } else if (rest.size() == 2 && rest.get(1).equals("events") && holdable(uid)) {
            stream(exchange, uid);
        } else if (rest.size() == 3 && rest.get(1).equals("pictures") && rest.get(2).matches("\\d{1,18}")) {
            Optional<byte[]> picture = board.picture(uid, Long.parseLong(rest.get(2)));
            if (picture.isPresent()) {
                respond(exchange, 200, "image/jpeg", picture.get());
            } else {
                text(exchange, 404, "no picture of that frame kept");
            }
        } else {
            text(exchange, 404, "not found");
        }
    }

    /** Server-Sent Events of one take until the page goes away or the server closes. */
    private void stream(HttpExchange exchange, String uid) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            respond(exchange, 200, "text/event-stream", new byte[0]);
            return;
        }
        if (!streams.tryAcquire()) {
            text(exchange, 503, "already " + MAX_STREAMS + " live pages open; close one");
            return;
        }
        try (TakeBoard.Watcher watcher = board.watch(uid, WATCHER_QUEUE)) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            send(out, "retry: 2000\n\n");
            Optional<TakeBoard.Snapshot> snapshot = board.snapshot(uid, REPLAYED);
            if (snapshot.isPresent()) {
                for (PoseFrame frame : snapshot.get().frames()) {
                    send(out, event(new TakeBoard.Update(frame, snapshot.get().take(), true)));
                }
            }
            long lastSent = System.nanoTime();
            while (!closed) {
                TakeBoard.Update update = watcher.updates().poll(1, TimeUnit.SECONDS);
                if (update != null) {
                    send(out, event(update));
                    lastSent = System.nanoTime();
                } else if (System.nanoTime() - lastSent > HEARTBEAT_NANOS) {
                    send(out, ": still here\n\n"); // a comment: finds pages that went away
                    lastSent = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    private String event(TakeBoard.Update update) throws JsonProcessingException {
        return "event: pose\ndata: " + json.writeValueAsString(update) + "\n\n";
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private boolean holdable(String uid) {
        return !uid.isEmpty() && uid.length() <= board.limits().uidMaxChars();
    }

    /** The decoded segments of a raw path; "/" is none. @throws IllegalArgumentException for bad percent-encoding */
    static List<String> segments(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return List.of();
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Text made safe for HTML content and quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private String indexPage() {
        TakeBoard.Totals totals = board.totals();
        StringBuilder rows = new StringBuilder();
        for (TakeSummary t : board.summaries()) {
            rows.append("<tr><td><a href=\"/take/").append(escape(encode(t.uid()))).append("\">")
                    .append(escape(t.name().isEmpty() ? t.uid() : t.name())).append("</a></td><td class=\"uid\">").append(escape(t.uid()))
                    .append("</td><td>").append(t.poses()).append("</td><td>").append(String.format(Locale.ROOT, "%.1f", t.framesPerSecond()))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.0f", t.latencyMsP50())).append("</td><td>").append(t.deadLetters())
                    .append("</td><td>").append(t.lastFrame()).append("</td></tr>\n");
        }
        return page("egopose live view", """
                <h1>egopose live view</h1>
                <p id="totals">%d takes, %d dead letters, %d records the view could not show</p>
                <table id="takes"><thead><tr><th>take</th><th>uid</th><th>poses</th><th>frames/s</th><th>latency p50 (ms)</th>\
                <th>dead letters</th><th>last frame</th></tr></thead>
                <tbody>
                %s</tbody></table>
                <script src="/assets/index.js"></script>
                """.formatted(totals.takes(), totals.deadLetters(), totals.badRecords(), rows));
    }

    private String takePage(String uid) {
        String name = board.snapshot(uid, 0).map(s -> s.take().name()).filter(s -> !s.isEmpty()).orElse(uid);
        return page(name + " - egopose live view", """
                <main id="take" data-uid="%s">
                <h1><span id="take-name">%s</span> <span class="uid">%s</span></h1>
                <p class="stats">frames shown <span id="shown">0</span> &middot; frame <span id="frame-number">-</span> &middot;
                <span id="fps">-</span> frames/s &middot; latency p50 <span id="latency">-</span> ms (last <span id="latency-last">-</span>)
                &middot; view delay <span id="delay">-</span> ms &middot; dead letters <span id="dlq">0</span> &middot; <span id="status">connecting</span></p>
                <div class="panes">
                <figure><canvas id="frame" width="512" height="512"></canvas>
                <figcaption>the 512 view with boxes and predicted skeletons (magenta right, cyan left); <span id="picture">no picture</span></figcaption></figure>
                <figure><canvas id="hands3d" width="512" height="512"></canvas>
                <figcaption>both hands in 3D, wrist-relative, 10 cm grid; drag to rotate</figcaption></figure>
                </div>
                <figure><canvas id="spark" width="1032" height="90"></canvas>
                <figcaption>capture-to-pose latency of the newest poses, newest on the right</figcaption></figure>
                <p><a href="/">all takes</a></p>
                </main>
                <script src="/assets/take.js"></script>
                """.formatted(escape(uid), escape(name), escape(uid)));
    }

    private static String page(String title, String body) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><link rel=\"stylesheet\" href=\"/assets/view.css\"></head>\n<body>\n" + body + "</body></html>\n";
    }

    private void html(HttpExchange exchange, String page) throws IOException {
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        respond(exchange, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private void json(HttpExchange exchange, int status, Object body) throws IOException {
        respond(exchange, status, "application/json", json.writeValueAsBytes(body));
    }

    private static void text(HttpExchange exchange, int status, String message) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops serving: open event streams end within about a second. The board is left as it is. */
    @Override
    public void close() {
        closed = true;
        server.stop(1);
        executor.shutdownNow();
    }
}
