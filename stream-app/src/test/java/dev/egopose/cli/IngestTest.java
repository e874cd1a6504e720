package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.avro.Topics;
import dev.egopose.broker.EmbeddedBroker;
import dev.egopose.camera.CalibrationJson;
import dev.egopose.camera.CameraReference;
import dev.egopose.camera.OpenCvNative;
import dev.egopose.camera.RigidTransform;
import dev.egopose.config.Settings;
import dev.egopose.crop.CropTestImages;
import dev.egopose.ingest.IngestServer;
import dev.egopose.schema.Frame;
import dev.egopose.schema.HandPoses;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egopose ingest} over a real HTTP client against the embedded broker and the running
 * processor: a good frame (boxes, or hand tracking only) is published and posed; every bad request
 * is answered with its code and a reason naming the field; a token guards it when set; Kafka down is 503.
 */
@Timeout(180)
class IngestTest {
    @TempDir
    static Path tmp;
    static EmbeddedBroker broker;
    static StreamApp app;
    static Producer<String, Frame> producer;
    static IngestServer server;
    static Settings settings;
    static Topics topics;
    static byte[] jpeg;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        OpenCvNative.load();
        jpeg = CropTestImages.solidJpeg(512, 512, 60, 120, 170);
        broker = EmbeddedBroker.startEphemeral();
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("bootstrap.servers", broker.bootstrapServers());
        overrides.put("application.id", "ingest-test");
        overrides.put("topic.frames", "ingest-frames");
        overrides.put("topic.poses", "ingest-poses");
        overrides.put("topic.dlq", "ingest-dlq");
        overrides.put("state.dir", tmp.resolve("state").toString());
        overrides.put("model.batch.sizes", "1,2");
        overrides.put("model.torch.threads", "1");
        settings = Settings.load(null, Map.of(), overrides);
        topics = Topics.named(settings.framesTopic(), settings.posesTopic(), settings.dlqTopic());
        broker.createTopics(1, topics.names());
        app = StreamApp.start(settings, Duration.ofMinutes(2));
        producer = ReplayCommand.producer(settings, topics);
        server = IngestCommand.start(settings, producer, topics, "127.0.0.1", 0, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        server.close();
        producer.close();
        app.close();
        broker.close();
    }

    /** A multipart/form-data body with the given parts (name -> bytes), in order. */
    static HttpRequest.BodyPublisher multipart(String boundary, Map<String, byte[]> parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach((name, bytes) -> {
            String type = name.equals("meta") ? "application/json" : "image/jpeg";
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                    + (name.equals("image") ? "; filename=\"frame.jpg\"" : "") + "\r\nContent-Type: " + type + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArray(body.toByteArray());
    }

    static HttpResponse<String> post(IngestServer to, Map<String, byte[]> parts, String token) throws Exception {
        String boundary = "egopose" + UUID.randomUUID();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + to.address() + IngestServer.FRAMES))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(multipart(boundary, parts));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static ObjectNode meta(long frame) {
        return meta("headset-1", frame);
    }

    static ObjectNode meta(String take, long frame) {
        ObjectNode meta = JSON.createObjectNode().put("take_uid", take).put("take_name", "live").put("frame_number", frame);
        meta.putObject("camera").putObject("pinhole").put("fx", 150.0).put("fy", 150.0).put("cx", 255.5).put("cy", 255.5);
        meta.putObject("boxes").putArray("right").add(280).add(320).add(450).add(470);
        return meta;
    }

    static Map<String, byte[]> parts(JsonNode meta, byte[] image) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("meta", meta.toString().getBytes(StandardCharsets.UTF_8));
        parts.put("image", image);
        return parts;
    }

    private static List<HandPoses> poses(String take, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<HandPoses> got = new ArrayList<>();
        try (KafkaConsumer<String, HandPoses> consumer = new KafkaConsumer<>(props, new StringDeserializer(), topics.poses().valueSerde().deserializer())) {
            consumer.subscribe(List.of(settings.posesTopic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (got.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().getTakeUid().equals(take)) {
                        got.add(r.value());
                    }
                });
            }
        }
        return got;
    }

    @Test
    void goodFramesArePublishedAndPosedWithBoxesOrHandTrackingOnly() throws Exception {
        HttpResponse<String> boxed = post(server, parts(meta("headset-good", 0), jpeg), null);
        assertEquals(202, boxed.statusCode(), boxed.body());
        JsonNode answer = JSON.readTree(boxed.body());
        assertEquals("ingest-frames", answer.get("topic").asText());
        assertEquals(0, answer.get("partition").asInt());
        assertTrue(answer.get("offset").asLong() >= 0);

        ObjectNode tracked = meta("headset-good", 1);
        tracked.remove("boxes");
        JsonNode sample;
        try (InputStream in = IngestTest.class.getResourceAsStream("/dev/egopose/handtrack/handboxes_reference.json")) {
            sample = JSON.readTree(in).get("samples").get(0);
        }
        ArrayNode hands = tracked.putArray("hand_tracking");
        for (JsonNode hand : sample.get("hands")) {
            hands.addObject().put("side", hand.get("side").asText()).put("confidence", hand.get("confidence").asDouble())
                    .set("landmarks", hand.get("landmarks_device"));
        }
        RigidTransform pose = new CalibrationJson().parseDeviceFromCamera(CameraReference.sampleCalibrationText(), "sample").orElseThrow();
        ObjectNode p = tracked.putObject("device_from_camera");
        ArrayNode t = p.putArray("translation");
        for (double v : pose.translation()) {
            t.add(v);
        }
        ArrayNode r = p.putArray("rotation");
        for (double v : pose.rotation()) {
            r.add(v);
        }
        HttpResponse<String> viaTracking = post(server, parts(tracked, jpeg), null);
        assertEquals(202, viaTracking.statusCode(), viaTracking.body());

        List<HandPoses> posed = poses("headset-good", 2);
        assertEquals(List.of(0L, 1L), posed.stream().map(HandPoses::getFrameNumber).toList());
        assertEquals(1, posed.get(0).getHands().size());
        assertEquals(2, posed.get(1).getHands().size(), "both tracked hands boxed by the processor and posed");
    }

    private static void assertBad(int status, String field, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(field, body.get("field").asText(), response.body());
        assertTrue(!body.get("error").asText().isEmpty());
    }

    @Test
    void badRequestsAreAnsweredWithTheirCodeAndField() throws Exception {
        assertBad(400, "meta", post(server, Map.of("image", jpeg), null));
        assertBad(400, "image", post(server, Map.of("meta", meta(2).toString().getBytes(StandardCharsets.UTF_8)), null));
        Map<String, byte[]> notJson = new LinkedHashMap<>();
        notJson.put("meta", "{not json".getBytes(StandardCharsets.UTF_8));
        notJson.put("image", jpeg);
        assertBad(400, "meta", post(server, notJson, null));
        assertBad(400, "meta.take_uid", post(server, parts(JSON.createObjectNode(), jpeg), null));
        ObjectNode noTake = meta(2);
        noTake.remove("take_uid");
        assertBad(400, "meta.take_uid", post(server, parts(noTake, jpeg), null));
        assertBad(400, "meta.colour", post(server, parts(meta(2).put("colour", "red"), jpeg), null));
        assertBad(400, "meta.frame_number", post(server, parts(meta(2).put("frame_number", -3), jpeg), null));
        ObjectNode badBox = meta(2);
        ((ObjectNode) badBox.get("boxes")).putArray("left").add(10).add(10).add(5).add(50);
        assertBad(400, "meta.boxes.left", post(server, parts(badBox, jpeg), null));
        ObjectNode trackingWithoutPose = meta(2);
        trackingWithoutPose.putArray("hand_tracking").addObject().put("side", "left").put("confidence", 0.9)
                .putArray("wrist").add(0).add(0).add(0.4);
        ((ObjectNode) trackingWithoutPose.get("hand_tracking").get(0)).putArray("palm").add(0).add(0.05).add(0.4);
        assertBad(400, "meta.device_from_camera", post(server, parts(trackingWithoutPose, jpeg), null));
        byte[] truncated = java.util.Arrays.copyOf(jpeg, jpeg.length / 2);
        assertBad(400, "image", post(server, parts(meta(2), truncated), null));
        assertBad(400, "image", post(server, parts(meta(2), "GIF89a......".getBytes(StandardCharsets.UTF_8)), null));

        HttpResponse<String> notMultipart = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + IngestServer.FRAMES))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertBad(415, "Content-Type", notMultipart);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + IngestServer.FRAMES)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertBad(405, "method", get);
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + IngestServer.HEALTH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
    }

    private static String scrape() throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + IngestServer.METRICS)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), metrics.headers().toString());
        return metrics.body();
    }

    /** A sample's value in the Prometheus text ({@code name{labels} value}), 0 when absent. */
    private static double sample(String text, String name, String labels) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name)
                + (labels.isEmpty() ? "" : "\\{" + java.util.regex.Pattern.quote(labels) + ",?\\}") + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void metricsCountRequestsByStatusAndTimeAcceptedFrames() throws Exception {
        String before = scrape();
        assertEquals(202, post(server, parts(meta("headset-metrics", 0), jpeg), null).statusCode());
        assertEquals(400, post(server, Map.of("image", jpeg), null).statusCode());
        assertEquals(400, post(server, parts(meta("headset-metrics", -1), jpeg), null).statusCode());
        String after = scrape();
        assertEquals(1, sample(after, "egopose_ingest_requests_total", "status=\"202\"") - sample(before, "egopose_ingest_requests_total", "status=\"202\""), after);
        assertEquals(2, sample(after, "egopose_ingest_requests_total", "status=\"400\"") - sample(before, "egopose_ingest_requests_total", "status=\"400\""), after);
        assertEquals(1, sample(after, "egopose_ingest_frame_seconds_count", "") - sample(before, "egopose_ingest_frame_seconds_count", ""), after);
        double bytes = sample(after, "egopose_ingest_accepted_bytes_total", "") - sample(before, "egopose_ingest_accepted_bytes_total", "");
        assertTrue(bytes > jpeg.length && bytes < jpeg.length + 4096, "accepted bytes " + bytes + " for a " + jpeg.length + " byte JPEG");
        assertTrue(after.lines().anyMatch(l -> l.startsWith("kafka_producer_")), "the ingest producer's Kafka metrics");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + IngestServer.METRICS))
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertBad(405, "method", post);
    }

    @Test
    void tooLargeTokenAndKafkaDown() throws Exception {
        try (IngestServer small = IngestServer.start("127.0.0.1", 0, "", 4_000, 8_500_000, producer, topics.frames(), Duration.ofSeconds(5))) {
            assertBad(413, "body", post(small, parts(meta(3), jpeg), null));
        }
        try (IngestServer guarded = IngestServer.start("127.0.0.1", 0, "s3cret", 1 << 22, 8_500_000, producer, topics.frames(), Duration.ofSeconds(5))) {
            assertBad(401, "Authorization", post(guarded, parts(meta(3), jpeg), null));
            assertBad(401, "Authorization", post(guarded, parts(meta(3), jpeg), "wrong"));
            assertEquals(202, post(guarded, parts(meta(3), jpeg), "s3cret").statusCode());
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 500);
        try (Producer<String, Frame> nowhere = new KafkaProducer<>(props, new StringSerializer(), topics.frames().valueSerde().serializer());
             IngestServer down = IngestServer.start("127.0.0.1", 0, "", 1 << 22, 8_500_000, nowhere, topics.frames(), Duration.ofSeconds(2))) {
            assertBad(503, "kafka", post(down, parts(meta(4), jpeg), null));
        }
    }

    @Test
    void thePythonHeadsetBridgePostsAFolderOfFramesThatArePosed() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(python), "no /usr/bin/python3");
        Path frames = java.nio.file.Files.createDirectories(tmp.resolve("bridge-frames"));
        for (int i = 0; i < 3; i++) {
            java.nio.file.Files.write(frames.resolve(String.format("%06d.jpg", i)), jpeg);
        }
        Process bridge = new ProcessBuilder(python.toString(), "../src/main/python/aria_bridge.py", "--url",
                "http://" + server.address() + IngestServer.FRAMES, "--frames", frames.toString(), "--take-uid", "headset-bridge",
                "--fps", "20", "--pinhole").redirectErrorStream(true).start();
        String output = new String(bridge.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bridge.waitFor(), output);
        assertTrue(output.contains("sent 3 frames") && output.contains("0 refused"), output);
        List<HandPoses> posed = poses("headset-bridge", 3);
        assertEquals(List.of(0L, 1L, 2L), posed.stream().map(HandPoses::getFrameNumber).toList());
        assertTrue(posed.stream().allMatch(p -> p.getHands().isEmpty()), "no boxes given: frames posed with no hands");
    }
}
