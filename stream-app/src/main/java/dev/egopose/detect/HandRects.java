package dev.egopose.detect;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The tracked rects of a take as bytes for a state store: a count, then 5 doubles per rect. */
public final class HandRects {
    static final int MAX_RECTS = 2;

    private HandRects() {}

    public static byte[] encode(List<HandRect> rects) {
        if (rects.size() > MAX_RECTS) {
            throw new IllegalArgumentException("at most " + MAX_RECTS + " tracked hands, got " + rects.size());
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 + rects.size() * 5 * Double.BYTES);
        buffer.put((byte) rects.size());
        for (HandRect r : rects) {
            buffer.putDouble(r.cx()).putDouble(r.cy()).putDouble(r.width()).putDouble(r.height()).putDouble(r.rotation());
        }
        return buffer.array();
    }

    /** The rects, or none when the bytes are absent or not what {@link #encode} writes. */
    public static List<HandRect> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes[0] < 0 || bytes[0] > MAX_RECTS || bytes.length != 1 + bytes[0] * 5 * Double.BYTES) {
            return List.of();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        List<HandRect> rects = new ArrayList<>();
        try {
            for (int i = 0; i < bytes[0]; i++) {
                rects.add(new HandRect(buffer.getDouble(), buffer.getDouble(), buffer.getDouble(), buffer.getDouble(), buffer.getDouble()));
            }
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return rects;
    }
}
