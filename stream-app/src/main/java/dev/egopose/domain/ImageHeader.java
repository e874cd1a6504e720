package dev.egopose.domain;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * What a JPEG or PNG says about itself, read by walking its structure without decoding a pixel:
 * format, stored width and height, colour components. {@link #read} refuses anything a decoder
 * would have to guess at: a wrong signature, a segment or chunk running past the end, a missing
 * frame header, data cut off before the end-of-image marker (JPEG) or the IEND chunk (PNG), a bad
 * chunk checksum (PNG), unsupported precision or component counts. It never allocates more than
 * a few bytes, whatever the input claims.
 *
 * @param format     JPEG or PNG
 * @param width      stored width in pixels
 * @param height     stored height in pixels
 * @param components colour components as stored (1 grey, 2 grey + alpha, 3 colour, 4 colour + alpha or CMYK)
 */
public record ImageHeader(Format format, int width, int height, int components) {
    /** The two encodings a frame may carry. */
    public enum Format { JPEG, PNG }

    /** Eight bytes of an array as one long (the order does not matter to a search for a byte value). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Thrown for bytes that are not a whole, well-formed JPEG or PNG; the message never quotes the bytes. */
    public static final class InvalidImageException extends IllegalArgumentException {
        InvalidImageException(String message) {
            super(message);
        }
    }

    /** Pixels in the stored image. */
    public long pixels() {
        return (long) width * height;
    }

    /** Reads the header of an encoded image, checking its whole structure. */
    public static ImageHeader read(byte[] b) {
        if (b.length >= 8 && startsWith(b, PNG_SIGNATURE)) {
            return png(b);
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
            return jpeg(b);
        }
        throw new InvalidImageException("not a JPEG or PNG image (" + b.length + " bytes without either signature)");
    }

    private static ImageHeader jpeg(byte[] b) {
        ImageHeader header = null;
        boolean scanned = false;
        int i = 2;
        while (true) {
            if (i + 1 >= b.length) {
                throw new InvalidImageException("truncated JPEG: no end-of-image marker in " + b.length + " bytes");
            }
            if ((b[i] & 0xff) != 0xFF) {
                throw new InvalidImageException("corrupt JPEG: no marker at byte " + i);
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == 0xD9) {
                if (header == null || !scanned) {
                    throw new InvalidImageException("corrupt JPEG: end-of-image marker before " + (header == null ? "a frame header" : "any scan"));
                }
                return header;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                throw new InvalidImageException(String.format("corrupt JPEG: unexpected marker %02X at byte %d", marker, i));
            }
            if (i + 3 >= b.length) {
                throw new InvalidImageException("truncated JPEG: segment header cut at byte " + i);
            }
            int length = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            int end = i + 2 + length;
            if (length < 2 || end > b.length) {
                throw new InvalidImageException(String.format("truncated JPEG: segment %02X at byte %d claims %d bytes, %d remain",
                        marker, i, length, b.length - i - 2));
            }
            if (isStartOfFrame(marker)) {
                if (header != null) {
                    throw new InvalidImageException("corrupt JPEG: a second frame header at byte " + i);
                }
                header = frameHeader(b, i, length, marker);
            } else if (marker == 0xDA) {
                if (header == null) {
                    throw new InvalidImageException("corrupt JPEG: scan before the frame header");
                }
                scanned = true;
                end = skipEntropyCodedData(b, end);
            }
            i = end;
        }
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageHeader frameHeader(byte[] b, int at, int length, int marker) {
        if (length < 8) {
            throw new InvalidImageException("corrupt JPEG: frame header of " + length + " bytes");
        }
        int precision = b[at + 4] & 0xff;
        int height = ((b[at + 5] & 0xff) << 8) | (b[at + 6] & 0xff);
        int width = ((b[at + 7] & 0xff) << 8) | (b[at + 8] & 0xff);
        int components = b[at + 9] & 0xff;
        if (length != 8 + 3 * components) {
            throw new InvalidImageException("corrupt JPEG: frame header of " + length + " bytes for " + components + " components");
        }
        if (precision != 8) {
            throw new InvalidImageException("unsupported JPEG: " + precision + "-bit samples (only 8-bit)");
        }
        if (marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF) {
            throw new InvalidImageException(String.format("unsupported JPEG: lossless coding (SOF%d)", marker - 0xC0));
        }
        if (components != 1 && components != 3 && components != 4) {
            throw new InvalidImageException("unsupported JPEG: " + components + " colour components (1, 3 or 4)");
        }
        if (width == 0 || height == 0) {
            // height 0 means "defined by a later DNL marker"; no camera frame uses it
            throw new InvalidImageException("JPEG frame header gives " + width + "x" + height);
        }
        return new ImageHeader(Format.JPEG, width, height, components);
    }

    /**
     * Index of the first marker after a scan's entropy-coded data (stuffed zeros and restarts belong to the data).
     * Eight bytes at a time while none of them is 0xFF (a long is free of 0xFF bytes exactly when its complement
     * is free of zero bytes): byte by byte this walk cost half a millisecond per Aria frame with the C1 compiler.
     */
    private static int skipEntropyCodedData(byte[] b, int from) {
        int i = from;
        while (i + 1 < b.length) {
            while (i + Long.BYTES <= b.length && !hasZeroByte(~(long) LONGS.get(b, i))) {
                i += Long.BYTES;
            }
            if (i + 1 >= b.length) {
                break;
            }
            if ((b[i] & 0xff) == 0xFF) {
                int next = b[i + 1] & 0xff;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
                i += next == 0xFF ? 1 : 2;
            } else {
                i++;
            }
        }
        throw new InvalidImageException("truncated JPEG: scan data runs to the end of " + b.length + " bytes without an end-of-image marker");
    }

    private static boolean hasZeroByte(long v) {
        return ((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0;
    }

    private static ImageHeader png(byte[] b) {
        ImageHeader header = null;
        boolean data = false;
        int i = 8;
        while (true) {
            if (i + 12 > b.length) {
                throw new InvalidImageException("truncated PNG: no IEND chunk in " + b.length + " bytes");
            }
            long length = int32(b, i) & 0xffffffffL;
            String type = new String(b, i + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > b.length - i - 12L) {
                throw new InvalidImageException("truncated PNG: chunk " + printable(type) + " at byte " + i + " claims " + length
                        + " bytes, " + (b.length - i - 12) + " remain");
            }
            int dataEnd = i + 8 + (int) length;
            CRC32 crc = new CRC32();
            crc.update(b, i + 4, 4 + (int) length);
            if ((int) crc.getValue() != int32(b, dataEnd)) {
                throw new InvalidImageException("corrupt PNG: checksum of chunk " + printable(type) + " at byte " + i + " is wrong");
            }
            if (header == null && !type.equals("IHDR")) {
                throw new InvalidImageException("corrupt PNG: first chunk is " + printable(type) + ", not IHDR");
            }
            switch (type) {
                case "IHDR" -> {
                    if (header != null) {
                        throw new InvalidImageException("corrupt PNG: a second IHDR chunk");
                    }
                    header = pngHeader(b, i + 8, length);
                }
                case "IDAT" -> data = true;
                case "IEND" -> {
                    if (!data) {
                        throw new InvalidImageException("corrupt PNG: IEND before any IDAT chunk");
                    }
                    return header;
                }
                default -> { }
            }
            i = dataEnd + 4;
        }
    }

    private static ImageHeader pngHeader(byte[] b, int at, long length) {
        if (length != 13) {
            throw new InvalidImageException("corrupt PNG: IHDR of " + length + " bytes, not 13");
        }
        int width = int32(b, at);
        int height = int32(b, at + 4);
        int depth = b[at + 8] & 0xff;
        int colourType = b[at + 9] & 0xff;
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException("corrupt PNG: IHDR gives " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height));
        }
        int components = switch (colourType) {
            case 0, 3 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            case 6 -> 4;
            default -> throw new InvalidImageException("corrupt PNG: colour type " + colourType);
        };
        boolean depthOk = switch (colourType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            default -> depth == 8 || depth == 16;
        };
        if (!depthOk) {
            throw new InvalidImageException("corrupt PNG: bit depth " + depth + " with colour type " + colourType);
        }
        return new ImageHeader(Format.PNG, width, height, components);
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) ? type : "(unnamed)";
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
