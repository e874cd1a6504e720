package dev.egopose.egoexo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams a {@code {take_uid: {frame_number: record}}} file one frame record at a time, so only one
 * record is ever held as a tree. Accepts Python's {@code NaN}/{@code Infinity} tokens, refuses duplicate
 * keys, and turns every syntax or shape error into an {@link EgoExoFormatException} naming the file,
 * take, frame and position.
 */
final class TakeFrameWalker {
    /** Receives each frame record in file order. */
    interface FrameVisitor {
        void frame(String takeUid, String frameKey, int frameNumber, JsonNode record);
    }

    private final ObjectMapper mapper;

    TakeFrameWalker() {
        JsonFactory factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory).build();
    }

    void walk(InputStream in, String source, FrameVisitor visitor) throws IOException {
        String take = null;
        String frameKey = null;
        try (JsonParser parser = mapper.createParser(in)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, source, null, null, "the file must be a JSON object {take_uid: {frame_number: record}}");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                take = parser.currentName();
                frameKey = null;
                expect(parser.nextToken(), JsonToken.START_OBJECT, source, take, null, "a take must be an object {frame_number: record}");
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    frameKey = parser.currentName();
                    int frameNumber = parseFrameNumber(source, take, frameKey);
                    expect(parser.nextToken(), JsonToken.START_OBJECT, source, take, frameKey, "a frame record must be a JSON object");
                    JsonNode record = parser.readValueAsTree();
                    visitor.frame(take, frameKey, frameNumber, record);
                }
                frameKey = null;
            }
            take = null;
            if (parser.nextToken() != null) {
                throw new EgoExoFormatException(source, null, null, null, "unexpected content after the top-level object at " + position(parser), null);
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new EgoExoFormatException(source, take, frameKey, null, "not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Frame keys are canonical non-negative integers ({@code "398"}, not {@code "0398"} or {@code "398.0"}). */
    static int parseFrameNumber(String source, String take, String key) {
        try {
            int n = Integer.parseInt(key);
            if (n >= 0 && Integer.toString(n).equals(key)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new EgoExoFormatException(source, take, key, null, "frame key '" + key + "' is not a non-negative integer in canonical form", null);
    }

    private static void expect(JsonToken actual, JsonToken expected, String source, String take, String frame, String problem) {
        if (actual != expected) {
            throw new EgoExoFormatException(source, take, frame, null, problem + " (found " + (actual == null ? "end of file" : actual.asString() == null ? actual.name() : actual.asString()) + ")", null);
        }
    }

    private static String position(JsonParser parser) {
        return "line " + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr();
    }
}
