package dev.egopose.ingest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a {@code multipart/form-data} body (RFC 7578), by form field name. Bounded by the
 * body it is given; refuses a body without its boundary, a part without a name, a repeated name.
 */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    private Multipart() {}

    /** The boundary of a {@code multipart/form-data} content type. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new BadRequestException(415, "Content-Type", "expected multipart/form-data with parts meta (JSON) and image (JPEG), got "
                    + (contentType == null ? "no Content-Type" : contentType));
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new BadRequestException(400, "Content-Type", "multipart/form-data without a boundary");
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** Part bodies by name. */
    static Map<String, byte[]> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new BadRequestException(400, "body", "the body has no multipart boundary");
        }
        Map<String, byte[]> parts = new LinkedHashMap<>();
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int position = at + delimiter.length;
        while (true) {
            if (position + 2 <= body.length && body[position] == '-' && body[position + 1] == '-') {
                return parts; // closing delimiter
            }
            if (position + 2 > body.length || body[position] != '\r' || body[position + 1] != '\n') {
                throw new BadRequestException(400, "body", "malformed multipart body (no line break after a boundary)");
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), position + 2);
            if (headersEnd < 0) {
                throw new BadRequestException(400, "body", "malformed multipart body (a part has no end of headers)");
            }
            String headers = new String(body, position + 2, headersEnd - position - 2, StandardCharsets.UTF_8);
            int end = indexOf(body, next, headersEnd + 4);
            if (end < 0) {
                throw new BadRequestException(400, "body", "truncated multipart body (no closing boundary)");
            }
            String name = partName(headers);
            if (parts.containsKey(name)) {
                throw new BadRequestException(400, name, "part '" + name + "' appears twice");
            }
            byte[] content = new byte[end - headersEnd - 4];
            System.arraycopy(body, headersEnd + 4, content, 0, content.length);
            parts.put(name, content);
            position = end + next.length;
        }
    }

    private static String partName(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                Matcher m = NAME.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new BadRequestException(400, "body", "a multipart part has no Content-Disposition name");
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
