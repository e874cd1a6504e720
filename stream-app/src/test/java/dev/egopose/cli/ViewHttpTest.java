package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egopose.avro.Topics;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.config.Settings;
import dev.egopose.crop.CropTestImages;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.ImageEncoding;
import dev.egopose.schema.InlineImage;
import dev.egopose.schema.Pinhole;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The view's endpoints over plain HTTP, fed through the embedded broker with records written here
 * (no processor): good poses and a picture, a take uid made of HTML, and records it must survive
 * (undecodable bytes, poses with 60 joints, a frame whose image is not one, a dead letter).
 */
@Timeout(120)
class ViewHttpTest {
    static final String TAKE = "take-a";
    static final String HOSTILE = "<script>alert(1)</script>";
    static EmbeddedBroker broker;
    static Topics topics;
    static KafkaProducer<String, byte[]> producer;
    static ViewCommand.LiveView view;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        OpenCvNative.load();
        broker = EmbeddedBroker.startEphemeral();
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("bootstrap.servers", broker.bootstrapServers());
        overrides.put("topic.frames", "view-frames");
        overrides.put("topic.poses", "view-poses");
        overrides.put("topic.dlq", "view-dlq");
        Settings settings = Settings.load(null, Map.of(), overrides);
        topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        broker.createTopics(1, topics.names());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        view = ViewCommand.LiveView.open(settings, "127.0.0.1", 0);

        send(topics.frames().name(), TAKE, topics.frames().serializeValue(pinholeFrame(TAKE, 4, CropTestImages.solidJpeg(512, 512, 40, 90, 160))));
        send(topics.frames().name(), TAKE, topics.frames().serializeValue(pinholeFrame(TAKE, 5, "not an image".getBytes(StandardCharsets.UTF_8))));
        producer.flush();
        // frames come before their poses, as from the processor (the view reads the topics in no fixed order among them)
        awaitJson("/api/takes", list -> list.path("totals").path("badRecords").asInt() == 1 && list.path("takes").size() == 1);
        for (int f = 0; f < 5; f++) {
            send(topics.poses().name(), TAKE, topics.poses().serializeValue(dev.egopose.view.ViewBoardTestAccess.poses(TAKE, "Take A", f)));
        }
        send(topics.poses().name(), TAKE, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
        HandPoses short60 = dev.egopose.view.ViewBoardTestAccess.poses(TAKE, "Take A", 9);
        short60.getHands().get(0).setJoints(short60.getHands().get(0).getJoints().subList(0, 60));
        send(topics.poses().name(), TAKE, topics.poses().serializeValue(short60));
        send(topics.poses().name(), HOSTILE, topics.poses().serializeValue(dev.egopose.view.ViewBoardTestAccess.poses(HOSTILE, "<b>x</b>&\"'", 0)));
        send(topics.dlq().name(), TAKE, "whatever the processor refused".getBytes(StandardCharsets.UTF_8));
        producer.flush();
        awaitJson("/api/takes", list -> list.path("totals").path("badRecords").asInt() >= 3 && list.path("totals").path("deadLetters").asInt() >= 1
                && list.path("takes").size() == 2);
    }

    @AfterAll
    static void stop() {
        if (view != null) {
            view.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static Frame pinholeFrame(String take, long number, byte[] image) {
        return Frame.newBuilder().setTakeUid(take).setTakeName("Take A").setFrameNumber(number).setCaptureTimeNs(System.currentTimeMillis() * 1_000_000L)
                .setImage(new InlineImage(ImageEncoding.JPEG, ByteBuffer.wrap(image))).setWidth(512).setHeight(512)
                .setCamera(new Pinhole(150.0, 150.0, 255.5, 255.5)).setHands(List.of()).build();
    }

    static void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + view.server().address() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode awaitJson(String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = get(path);
            if (answer.statusCode() == 200) {
                last = JSON.readTree(answer.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " never got there; last answer " + last);
    }

    static String encoded(String uid) {
        return URLEncoder.encode(uid, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void theListCountsPosesDeadLettersAndRecordsItCouldNotShow() throws Exception {
        JsonNode list = awaitJson("/api/takes", l -> true);
        JsonNode take = null;
        for (JsonNode t : list.get("takes")) {
            if (t.get("uid").asText().equals(TAKE)) {
                take = t;
            }
        }
        assertEquals(5, take.get("poses").asInt(), list.toString());
        assertEquals("Take A", take.get("name").asText());
        assertEquals(1, take.get("deadLetters").asInt());
        assertEquals(4, take.get("lastFrame").asInt());
        assertTrue(take.get("latencyMsP50").asDouble() >= 80, "capture-to-pose latency as the records say: " + take);
        assertEquals(3, list.get("totals").get("badRecords").asInt(), "undecodable poses, 60 joints, a frame that is no image");
    }

    @Test
    void takeIdsAndNamesReachTheHtmlOnlyEscaped() throws Exception {
        HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertTrue(index.body().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), index.body());
        assertTrue(index.body().contains("&lt;b&gt;x&lt;/b&gt;&amp;&quot;&#39;"), index.body());
        assertFalse(index.body().contains(HOSTILE));
        assertFalse(index.body().contains("<b>x"));
        assertTrue(index.body().contains("href=\"/take/" + TAKE + "\""));

        HttpResponse<String> page = get("/take/" + encoded(HOSTILE));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("data-uid=\"&lt;script&gt;alert(1)&lt;/script&gt;\""), page.body());
        assertFalse(page.body().contains(HOSTILE));
        assertTrue(page.body().contains("<script src=\"/assets/take.js\"></script>"));
    }

    @Test
    void aTakesPosesAndPicturesAsJson() throws Exception {
        JsonNode snapshot = awaitJson("/api/takes/" + TAKE, s -> true);
        JsonNode frames = snapshot.get("frames");
        assertEquals(5, frames.size());
        JsonNode hand = frames.get(4).get("hands").get(0);
        assertEquals("RIGHT", hand.get("side").asText());
        assertEquals(63, hand.get("joints").size());
        assertEquals(42, hand.get("pixels").size());
        assertEquals(4, frames.get(4).get("picture").asInt(), "frame 4 has its own picture");

        HttpResponse<byte[]> picture = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + view.server().address() + "/api/takes/" + TAKE
                + "/pictures/4")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, picture.statusCode());
        assertEquals("image/jpeg", picture.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(0xFF, picture.body()[0] & 0xFF);
        assertEquals(0xD8, picture.body()[1] & 0xFF);
        assertEquals(404, get("/api/takes/" + TAKE + "/pictures/5").statusCode(), "the frame that was no image has no picture");
    }

    @Test
    void unknownTakesAndBadPathsAreRefused() throws Exception {
        assertEquals(404, get("/api/takes/no-such-take").statusCode());
        assertEquals(404, get("/api/takes/no-such-take/pictures/1").statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
        assertEquals(404, get("/take/").statusCode());
        assertEquals(404, get("/assets/..%2F..%2Fpom.xml").statusCode());
        assertEquals(404, get("/api/takes/" + TAKE + "/pictures/-1").statusCode());
        assertEquals(404, get("/take/" + "u".repeat(300)).statusCode(), "longer than any uid the view keeps");
        assertEquals("HTTP/1.1 400", rawStatus("/api/takes/%zz"), "bad percent-encoding (java.net.URI refuses to send it)");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + view.server().address() + "/api/takes"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(200, get("/assets/take.js").statusCode());
    }

    @Test
    void theEventStreamReplaysTheNewestPosesThenPushesEachNewOne() throws Exception {
        String take = "take-live";
        for (int f = 0; f < 2; f++) {
            send(topics.poses().name(), take, topics.poses().serializeValue(dev.egopose.view.ViewBoardTestAccess.poses(take, "", f)));
        }
        producer.flush();
        awaitJson("/api/takes/" + take, s -> s.get("frames").size() == 2);
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + view.server().address() + "/api/takes/"
                + take + "/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertEquals("retry: 2000", lines.readLine());
            assertEquals(0, nextPose(lines).get("pose").get("frameNumber").asInt(), "replayed in order");
            assertEquals(1, nextPose(lines).get("pose").get("frameNumber").asInt());
            long sent = System.nanoTime();
            send(topics.poses().name(), take, topics.poses().serializeValue(dev.egopose.view.ViewBoardTestAccess.poses(take, "", 2)));
            producer.flush();
            JsonNode live = nextPose(lines);
            double ms = (System.nanoTime() - sent) / 1e6;
            assertEquals(2, live.get("pose").get("frameNumber").asInt());
            assertEquals(3, live.get("take").get("poses").asInt());
            System.out.printf("view: a pose reached the event stream %.0f ms after it was sent%n", ms);
            assertTrue(ms < 5000, "pushed in " + ms + " ms");
        }
    }

    @Test
    void theCommandEndsWithOneLineWhenATopicIsMissing() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("view", "--bootstrap", broker.bootstrapServers(), "--set", "topic.poses=no-such-poses", "--port", "0");
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().startsWith("view: ") && err.toString().contains("no-such-poses"), err.toString());
    }

    /** The status line's start for a request sent as bytes, for paths java.net.URI will not make. */
    private static String rawStatus(String path) throws Exception {
        String[] hostPort = view.server().address().split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return status.substring(0, Math.min(12, status.length()));
        }
    }

    private static JsonNode nextPose(BufferedReader lines) throws Exception {
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.equals("event: pose")) {
                String data = lines.readLine();
                assertTrue(data.startsWith("data: "), data);
                return JSON.readTree(data.substring(6));
            }
        }
        throw new AssertionError("the event stream ended");
    }
}
