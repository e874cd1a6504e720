package dev.egopose.replay;

/** Width and height read from a JPEG or PNG header, without decoding the image. */
record ImageSize(int width, int height) {
    /** @throws IllegalArgumentException when the bytes are neither a JPEG with a frame header nor a PNG */
    static ImageSize of(byte[] b) {
        if (b.length > 24 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            // the first chunk must be IHDR (bytes 12..15), width and height positive (PNG spec 11.2.2)
            if (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
                throw new IllegalArgumentException("corrupt PNG: no IHDR chunk at byte 12");
            }
            int width = int32(b, 16);
            int height = int32(b, 20);
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("corrupt PNG: IHDR gives " + width + "x" + height);
            }
            return new ImageSize(width, height);
        }
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG or PNG image");
        }
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                throw new IllegalArgumentException("corrupt JPEG: no marker at byte " + i);
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int length = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                int height = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                int width = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
                if (width == 0 || height == 0) {
                    // height 0 means "defined by a later DNL marker"; Aria frames never use it
                    throw new IllegalArgumentException("JPEG frame header gives " + width + "x" + height);
                }
                return new ImageSize(width, height);
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("JPEG has no frame header");
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
