package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.broker.BrokerSettings;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.egoexo.Submission;
import dev.egopose.egoexo.SubmissionReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against a SASL/SCRAM-SHA-256 listener of the embedded broker, configured only through
 * {@code kafka.*} settings: run (with its /metrics and /health server, scraped over HTTP while it
 * runs), replay and sink complete a take; a wrong password is one clear line and exit 1, quickly.
 */
class SecuredClusterTest {
    private static final String USER = "egopose-client";
    private static final String PASSWORD = "s3cret-pw";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static String[] sasl(String password) {
        return new String[] {
            "--set", "kafka.security.protocol=SASL_PLAINTEXT",
            "--set", "kafka.sasl.mechanism=SCRAM-SHA-256",
            "--set", "kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + USER + "\" password=\"" + password + "\";"
        };
    }

    private String[] args(String bootstrap, String password, String... command) {
        return Stream.of(command, new String[] {"--bootstrap", bootstrap,
                        "--set", "application.id=secured", "--set", "broker.wait.seconds=10",
                        "--set", "topic.frames=sec.frames", "--set", "topic.poses=sec.poses", "--set", "topic.dlq=sec.dlq"}, sasl(password))
                .flatMap(Stream::of).toArray(String[]::new);
    }

    /** Runs one command; returns its exit code, its stderr in {@code err}. */
    private static int execute(StringWriter err, String... args) {
        return Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void runReplayAndSinkWorkThroughScramAndServeMetricsAndHealth() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.ephemeral().withScramUser(USER, PASSWORD))) {
            String bootstrap = broker.saslBootstrapServers();
            Path anno = new EndToEndScenario(dir, bootstrap).writeTakeSet();

            assertWrongPasswordFailsFast(bootstrap, anno);
            StringWriter missing = new StringWriter();
            assertEquals(1, execute(missing, args(bootstrap, PASSWORD, "sink", "--out", dir.resolve("none.json").toString())));
            assertEquals("sink: topic sec.poses missing on " + bootstrap + " (egopose run and egopose broker create the topics)",
                    missing.toString().strip(), "before run created them");

            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            AtomicInteger runExit = new AtomicInteger(-1);
            StringWriter runErr = new StringWriter();
            String[] runArgs = Stream.concat(Stream.of(args(bootstrap, PASSWORD, "run")), Stream.of(
                    "--metrics-port", Integer.toString(port), "--status-every", "1", "--partitions", "2",
                    "--set", "model.batch.sizes=1,2", "--set", "model.torch.threads=1",
                    "--set", "state.dir=" + dir.resolve("state"))).toArray(String[]::new);
            Thread run = new Thread(() -> runExit.set(execute(runErr, runArgs)), "test-run");
            PrintStream stderr = System.err;
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            System.setErr(new PrintStream(new TeeOutputStream(stderr, logs), true, StandardCharsets.UTF_8));
            org.slf4j.LoggerFactory.getLogger(SecuredClusterTest.class).info("log capture starts");
            run.start();
            try {
                List<String> notReady = awaitReady(base, run, runErr);
                assertFalse(notReady.isEmpty(), "/health/ready answered 200 at once; the model cannot have loaded that fast");
                assertTrue(notReady.stream().allMatch(b -> b.contains("model=loading") || b.contains("kafka-streams=")), notReady.toString());
                HttpResponse<String> live = get(base + "/health/live");
                assertEquals(200, live.statusCode());
                assertTrue(live.body().contains("kafka-streams=RUNNING"), live.body());

                StringWriter err = new StringWriter();
                assertEquals(0, execute(err, args(bootstrap, PASSWORD, "replay", "--anno", anno.toString(),
                        "--images", dir.resolve("images").toString())), err.toString());
                Path out = dir.resolve("submission.json");
                assertEquals(0, execute(err, args(bootstrap, PASSWORD, "sink", "--out", out.toString(),
                        "--template", anno.toString(), "--idle-timeout", "60")), err.toString());
                Submission submission = new SubmissionReader().read(out);
                assertEquals(EndToEndScenario.FRAMES, submission.takes().get(EndToEndScenario.TAKE).size());

                String metrics = awaitMetric(base, "kafka_stream_egopose_capture_to_pose_total", EndToEndScenario.FRAMES);
                String egopose = lines(metrics, "egopose");
                assertEquals(EndToEndScenario.FRAMES, value(metrics, "kafka_stream_egopose_decode_total"), egopose);
                assertEquals(0, value(metrics, "kafka_stream_egopose_rejected_total"), egopose);
                assertEquals(2 * EndToEndScenario.FRAMES - 1, value(metrics, "egopose_batch_size_crops_sum"), egopose);
                assertEquals(2 * EndToEndScenario.FRAMES - 1, value(metrics, "egopose_batcher_crops_total"), egopose);
                assertTrue(value(metrics, "egopose_model_batch_seconds_count") >= 1, egopose);
                assertTrue(value(metrics, "kafka_stream_egopose_capture_to_pose_latency_avg") > 0, egopose);
                for (String stage : List.of("decode", "crop", "pose")) {
                    assertTrue(metrics.contains("kafka_stream_egopose_rejected_total{") && metrics.contains("egopose_id=\"" + stage + "\""),
                            "DLQ count of stage " + stage + ":\n" + egopose);
                }
                assertTrue(egopose.contains("kafka_stream_egopose_crop_latency_avg"), egopose);
                assertTrue(egopose.contains("kafka_stream_egopose_model_latency_avg"), egopose);
            } finally {
                run.interrupt();
                run.join(60_000);
                System.setErr(stderr);
            }
            String log = logs.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("log capture starts"), "the log was not captured");
            assertFalse(log.contains("processing.exception.handler.global.enabled"), "Kafka 4.3's warning is back:\n" + log);
            assertEquals(0, runExit.get(), runErr.toString());
            assertThrows(ConnectException.class, () -> get(base + "/health/live"), "the metrics server stops with run");
        }
    }

    private void assertWrongPasswordFailsFast(String bootstrap, Path anno) {
        for (String[] command : List.of(
                new String[] {"replay", "--anno", anno.toString(), "--images", dir.resolve("images").toString()},
                new String[] {"sink", "--out", dir.resolve("never.json").toString()},
                new String[] {"run"})) {
            StringWriter err = new StringWriter();
            long t0 = System.nanoTime();
            int exit = execute(err, args(bootstrap, "wrong-password", command));
            long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
            String text = err.toString().strip();
            assertEquals(1, exit, command[0] + ": " + text);
            assertEquals(1, text.lines().count(), command[0] + " should fail in one line: " + text);
            assertTrue(text.contains("Authentication failed") && text.contains("invalid credentials"), command[0] + ": " + text);
            assertFalse(text.contains("wrong-password"), "the password must not be printed: " + text);
            assertTrue(seconds < 10, command[0] + " took " + seconds + " s to refuse a wrong password");
        }
    }

    /** Polls /health/ready until 200; returns the bodies of the 503 answers seen before. */
    private List<String> awaitReady(String base, Thread run, StringWriter runErr) throws Exception {
        List<String> notReady = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(run.isAlive(), () -> "run ended early: " + runErr);
            try {
                HttpResponse<String> ready = get(base + "/health/ready");
                if (ready.statusCode() == 200) {
                    assertTrue(ready.body().contains("kafka-streams=RUNNING model=loaded"), ready.body());
                    return notReady;
                }
                assertEquals(503, ready.statusCode(), ready.body());
                notReady.add(ready.body());
            } catch (ConnectException notYet) {
                // the server starts once the settings are loaded and the topics exist
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not ready within 2 minutes; answers: " + notReady + "; run: " + runErr);
    }

    private String awaitMetric(String base, String name, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> scrape = get(base + "/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            text = scrape.body();
            if (text.contains(name) && value(text, name) >= expected) {
                return text;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not reach " + expected + ":\n" + lines(text, "egopose"));
    }

    /** The sum of every sample of a metric (over all tag sets). */
    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        assertTrue(found, () -> "no metric " + name + " in:\n" + lines(text, "egopose"));
        return sum;
    }

    private static String lines(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing) && !l.startsWith("#")).collect(Collectors.joining("\n"));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes to both streams (the log still reaches the console). */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeOutputStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
