package dev.egopose.detect;

import dev.egopose.domain.HandSide;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A take's hand tracks as bytes for a state store: a count, then per track its side, missed frames and rect (5 doubles). */
public final class HandTracks {
    static final int MAX_TRACKS = 2;
    private static final int TRACK_BYTES = 2 + 5 * Double.BYTES;

    private HandTracks() {}

    public static byte[] encode(List<HandTrack> tracks) {
        if (tracks.size() > MAX_TRACKS) {
            throw new IllegalArgumentException("at most " + MAX_TRACKS + " hand tracks, got " + tracks.size());
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 + tracks.size() * TRACK_BYTES);
        buffer.put((byte) tracks.size());
        for (HandTrack t : tracks) {
            HandRect r = t.rect();
            buffer.put((byte) t.side().ordinal()).put((byte) t.missed());
            buffer.putDouble(r.cx()).putDouble(r.cy()).putDouble(r.width()).putDouble(r.height()).putDouble(r.rotation());
        }
        return buffer.array();
    }

    /** The tracks, or none when the bytes are absent or not what {@link #encode} writes (the take then starts with detection). */
    public static List<HandTrack> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes[0] < 0 || bytes[0] > MAX_TRACKS || bytes.length != 1 + bytes[0] * TRACK_BYTES) {
            return List.of();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        List<HandTrack> tracks = new ArrayList<>();
        try {
            for (int i = 0; i < bytes[0]; i++) {
                int side = buffer.get();
                int missed = buffer.get();
                HandRect rect = new HandRect(buffer.getDouble(), buffer.getDouble(), buffer.getDouble(), buffer.getDouble(), buffer.getDouble());
                if (side < 0 || side >= HandSide.values().length) {
                    return List.of();
                }
                tracks.add(new HandTrack(HandSide.values()[side], rect, missed));
            }
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return tracks;
    }
}
