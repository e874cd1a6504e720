package dev.egopose.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.camera.OpenCvNative;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

class ImageSizeTest {
    @BeforeAll
    static void opencv() {
        OpenCvNative.load();
    }

    /** A noisy BGR image of {@code cols} x {@code rows}, encoded with {@code ext} and the given imwrite flags. */
    private static byte[] encode(int cols, int rows, String ext, int... params) {
        Mat image = new Mat(rows, cols, CvType.CV_8UC3);
        MatOfByte out = new MatOfByte();
        MatOfInt flags = new MatOfInt(params);
        try {
            byte[] px = new byte[rows * cols * 3];
            new Random(cols * 31L + rows).nextBytes(px);
            image.put(0, 0, px);
            assertEquals(cols, image.cols());
            assertEquals(rows, image.rows());
            assertTrue(Imgcodecs.imencode(ext, image, out, flags), "imencode " + ext);
            return out.toArray();
        } finally {
            image.release();
            out.release();
            flags.release();
        }
    }

    /** Index of the first marker FF {@code code} in the bytes, or -1. */
    private static int indexOfMarker(byte[] b, int code) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == code) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void baselineJpegHasItsMatSize() {
        byte[] jpeg = encode(37, 23, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        assertTrue(indexOfMarker(jpeg, 0xC0) > 0, "the encoder wrote a baseline SOF0 frame");
        assertEquals(new ImageSize(37, 23), ImageSize.of(jpeg));
    }

    @Test
    void progressiveJpegHasItsMatSize() {
        byte[] jpeg = encode(301, 129, ".jpg", Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
        int sof2 = indexOfMarker(jpeg, 0xC2);
        assertTrue(sof2 > 0, "the encoder wrote a progressive SOF2 frame");
        assertEquals(-1, indexOfMarker(Arrays.copyOf(jpeg, sof2), 0xC0), "no baseline frame before it");
        assertEquals(new ImageSize(301, 129), ImageSize.of(jpeg));
    }

    @Test
    void largeJpegSizeUsesBothBytes() {
        byte[] jpeg = encode(1408, 260, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 50);
        assertEquals(new ImageSize(1408, 260), ImageSize.of(jpeg));
    }

    @Test
    void pngHasItsMatSize() {
        byte[] png = encode(300, 17, ".png");
        assertEquals(new ImageSize(300, 17), ImageSize.of(png));
    }

    @Test
    void handWrittenSof0HeaderWithFillBytesAndAnAppSegment() {
        // SOI; APP1 of 6 bytes (length 8 incl. the length field); two fill bytes; SOF0: length 17,
        // precision 8, height 0x0102 = 258, width 0x0304 = 772, 3 components
        byte[] b = {
            (byte) 0xFF, (byte) 0xD8,
            (byte) 0xFF, (byte) 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0x00, 0x00,
            (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08, 0x01, 0x02, 0x03, 0x04, 0x03,
            0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        };
        assertEquals(new ImageSize(772, 258), ImageSize.of(b));
    }

    @Test
    void dhtIsNotAFrameHeader() {
        // SOI; DHT (FFC4) of 4 bytes that happens to look like a frame header; then SOF0 24 x 10
        byte[] b = {
            (byte) 0xFF, (byte) 0xD8,
            (byte) 0xFF, (byte) 0xC4, 0x00, 0x06, 0x08, 0x7F, 0x7F, 0x7F,
            (byte) 0xFF, (byte) 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x0A, 0x00, 0x18, 0x01, 0x01, 0x11, 0x00,
        };
        assertEquals(new ImageSize(24, 10), ImageSize.of(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GIF89a................................", "hello, this is not an image at all", "\u00ff"})
    void garbageIsRefused(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(b));
    }

    @Test
    void randomBytesAreRefused() {
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        b[0] = 0x12;
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(b));
    }

    @Test
    void jpegCutBeforeItsFrameHeaderIsRefused() {
        byte[] jpeg = encode(40, 30, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        int sof = indexOfMarker(jpeg, 0xC0);
        byte[] cut = Arrays.copyOf(jpeg, sof);
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(cut));
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(Arrays.copyOf(jpeg, 3)));
    }

    @Test
    void jpegWithGarbageWhereAMarkerShouldBeIsRefused() {
        byte[] jpeg = encode(40, 30, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        byte[] broken = jpeg.clone();
        // the first segment after SOI is JFIF APP0; overwrite the next marker position
        int app0Length = ((broken[4] & 0xff) << 8) | (broken[5] & 0xff);
        broken[2 + 2 + app0Length] = 0x42;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageSize.of(broken));
        assertTrue(e.getMessage().contains("marker"), e.getMessage());
    }

    @Test
    void pngWithoutItsHeaderChunkIsRefused() {
        byte[] png = encode(50, 20, ".png");
        byte[] broken = Arrays.copyOf(png, 40);
        Arrays.fill(broken, 8, 40, (byte) 0);
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(broken));
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(Arrays.copyOf(png, 12)));
    }

    @Test
    void pngWithZeroWidthIsRefused() {
        byte[] png = encode(50, 20, ".png");
        Arrays.fill(png, 16, 20, (byte) 0);
        assertThrows(IllegalArgumentException.class, () -> ImageSize.of(png));
    }
}
