package dev.egopose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egopose.domain.HandBox;
import dev.egopose.domain.HandSide;
import dev.egopose.handtrack.TrackedHand;
import dev.egopose.ingest.IngestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Posts frames to {@code egopose ingest} as a headset does (the Java twin of aria_bridge.py), for
 * the demo and {@code bench live}: meta JSON with the take, frame number, capture time, the
 * calibration and the frame's boxes or hand tracking, and the JPEG.
 */
final class HeadsetClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final JsonNode calibration;

    /** @param calibrationJson the projectaria calibration JSON sent with every frame */
    HeadsetClient(IngestServer ingest, String calibrationJson) throws IOException {
        this.uri = URI.create("http://" + ingest.address() + IngestServer.FRAMES);
        this.calibration = JSON.readTree(calibrationJson);
    }

    /** Posts one frame, stamping its capture time now; returns the HTTP status. */
    int post(String takeUid, String takeName, long frameNumber, byte[] jpeg, Map<HandSide, HandBox> boxes, List<TrackedHand> tracking)
            throws IOException, InterruptedException {
        ObjectNode meta = JSON.createObjectNode().put("take_uid", takeUid).put("take_name", takeName).put("frame_number", frameNumber)
                .put("capture_time_ns", System.currentTimeMillis() * 1_000_000L);
        meta.set("calibration", calibration);
        if (!boxes.isEmpty()) {
            ObjectNode b = meta.putObject("boxes");
            boxes.forEach((side, box) -> b.putArray(side.name().toLowerCase(Locale.ROOT)).add(box.x1()).add(box.y1()).add(box.x2()).add(box.y2()));
        }
        if (!tracking.isEmpty()) {
            ArrayNode hands = meta.putArray("hand_tracking");
            for (TrackedHand hand : tracking) {
                ObjectNode h = hands.addObject().put("side", hand.side().name().toLowerCase(Locale.ROOT)).put("confidence", hand.confidence());
                ArrayNode landmarks = h.putArray("landmarks");
                for (double v : hand.landmarks()) {
                    landmarks.add(v);
                }
            }
        }
        String boundary = "egopose-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(jpeg.length + 16_384);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
                + meta + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"\r\nContent-Type: image/jpeg\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
