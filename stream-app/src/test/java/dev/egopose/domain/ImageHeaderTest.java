package dev.egopose.domain;

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

/** The header walk against images OpenCV wrote, hand-written headers, and each kind of damage. */
class ImageHeaderTest {
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

    private static ImageHeader jpegHeader(int w, int h, int c) {
        return new ImageHeader(ImageHeader.Format.JPEG, w, h, c);
    }

    /** A copy of a baseline JPEG whose frame header declares another size (a decompression bomb's trick). */
    static byte[] withDeclaredSize(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        int sof = indexOfMarker(b, 0xC0);
        b[sof + 5] = (byte) (height >> 8);
        b[sof + 6] = (byte) height;
        b[sof + 7] = (byte) (width >> 8);
        b[sof + 8] = (byte) width;
        return b;
    }

    private static void assertRefused(byte[] b, String expected) {
        ImageHeader.InvalidImageException e = assertThrows(ImageHeader.InvalidImageException.class, () -> ImageHeader.read(b));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void baselineJpegHasItsMatSize() {
        byte[] jpeg = encode(37, 23, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        assertTrue(indexOfMarker(jpeg, 0xC0) > 0, "the encoder wrote a baseline SOF0 frame");
        assertEquals(jpegHeader(37, 23, 3), ImageHeader.read(jpeg));
    }

    @Test
    void progressiveJpegHasItsMatSize() {
        byte[] jpeg = encode(301, 129, ".jpg", Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
        int sof2 = indexOfMarker(jpeg, 0xC2);
        assertTrue(sof2 > 0, "the encoder wrote a progressive SOF2 frame");
        assertEquals(-1, indexOfMarker(Arrays.copyOf(jpeg, sof2), 0xC0), "no baseline frame before it");
        assertEquals(jpegHeader(301, 129, 3), ImageHeader.read(jpeg));
    }

    @Test
    void jpegWithRestartMarkersIsWhole() {
        byte[] jpeg = encode(200, 120, ".jpg", Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 2);
        assertTrue(indexOfMarker(jpeg, 0xD0) > 0, "the encoder wrote restart markers");
        assertEquals(jpegHeader(200, 120, 3), ImageHeader.read(jpeg));
    }

    @Test
    void greyJpegHasOneComponent() {
        Mat grey = new Mat(16, 24, CvType.CV_8UC1, new org.opencv.core.Scalar(90));
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".jpg", grey, out);
            assertEquals(jpegHeader(24, 16, 1), ImageHeader.read(out.toArray()));
        } finally {
            grey.release();
            out.release();
        }
    }

    @Test
    void largeJpegSizeUsesBothBytes() {
        byte[] jpeg = encode(1408, 260, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 50);
        assertEquals(jpegHeader(1408, 260, 3), ImageHeader.read(jpeg));
        assertEquals(1408L * 260, ImageHeader.read(jpeg).pixels());
    }

    @Test
    void aDeclaredSizeIsReadAsDeclaredSoTheCallerCanRefuseIt() {
        byte[] jpeg = encode(40, 30, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        ImageHeader bomb = ImageHeader.read(withDeclaredSize(jpeg, 60000, 60000));
        assertEquals(3_600_000_000L, bomb.pixels(), "no int overflow");
    }

    @Test
    void pngHasItsMatSize() {
        byte[] png = encode(300, 17, ".png");
        assertEquals(new ImageHeader(ImageHeader.Format.PNG, 300, 17, 3), ImageHeader.read(png));
    }

    /** SOI, the given segments, then a one-byte scan and EOI. */
    private static byte[] jpegOf(int... segments) {
        int[] tail = {0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0xFF, 0xD9};
        byte[] b = new byte[2 + segments.length + tail.length];
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        for (int i = 0; i < segments.length; i++) {
            b[2 + i] = (byte) segments[i];
        }
        for (int i = 0; i < tail.length; i++) {
            b[2 + segments.length + i] = (byte) tail[i];
        }
        return b;
    }

    @Test
    void handWrittenSof0HeaderWithFillBytesAndAnAppSegment() {
        // APP1 of 6 bytes (length 8 incl. the length field); two fill bytes; SOF0: length 17,
        // precision 8, height 0x0102 = 258, width 0x0304 = 772, 3 components
        byte[] b = jpegOf(
                0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0x00, 0x00,
                0xFF, 0xFF,
                0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x02, 0x03, 0x04, 0x03,
                0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01);
        assertEquals(jpegHeader(772, 258, 3), ImageHeader.read(b));
    }

    @Test
    void dhtIsNotAFrameHeader() {
        // DHT (FFC4) of 4 bytes that happens to look like a frame header; then SOF0 24 x 10, one component
        byte[] b = jpegOf(
                0xFF, 0xC4, 0x00, 0x06, 0x08, 0x7F, 0x7F, 0x7F,
                0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x0A, 0x00, 0x18, 0x01, 0x01, 0x11, 0x00);
        assertEquals(jpegHeader(24, 10, 1), ImageHeader.read(b));
    }

    @Test
    void refusesTwelveBitTwoComponentAndLosslessJpegs() {
        assertRefused(jpegOf(0xFF, 0xC0, 0x00, 0x0B, 0x0C, 0x00, 0x0A, 0x00, 0x18, 0x01, 0x01, 0x11, 0x00), "12-bit");
        assertRefused(jpegOf(0xFF, 0xC0, 0x00, 0x0E, 0x08, 0x00, 0x0A, 0x00, 0x18, 0x02, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00), "2 colour components");
        assertRefused(jpegOf(0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x0A, 0x00, 0x18, 0x01, 0x01, 0x11, 0x00), "lossless");
        assertRefused(jpegOf(0xFF, 0xC0, 0x00, 0x0C, 0x08, 0x00, 0x0A, 0x00, 0x18, 0x01, 0x01, 0x11, 0x00, 0x00), "frame header of 12 bytes");
        assertRefused(jpegOf(0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x00, 0x00, 0x18, 0x01, 0x01, 0x11, 0x00), "24x0");
    }

    @Test
    void refusesAJpegWithoutScanOrFrameHeader() {
        assertRefused(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}, "before a frame header");
        byte[] noFrame = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0x00, 0x02, 0x00, (byte) 0xFF, (byte) 0xD9};
        assertRefused(noFrame, "scan before the frame header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GIF89a................................", "hello, this is not an image at all", "\u00ff"})
    void garbageIsRefused(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(b, "not a JPEG or PNG");
    }

    @Test
    void randomBytesAreRefused() {
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        b[0] = 0x12;
        assertThrows(IllegalArgumentException.class, () -> ImageHeader.read(b));
    }

    @Test
    void jpegCutAnywhereIsRefused() {
        byte[] jpeg = encode(40, 30, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        int sof = indexOfMarker(jpeg, 0xC0);
        assertRefused(Arrays.copyOf(jpeg, sof), "truncated JPEG");
        assertRefused(Arrays.copyOf(jpeg, 3), "truncated JPEG");
        for (int cut = 2; cut < jpeg.length; cut += Math.max(1, jpeg.length / 97)) {
            byte[] part = Arrays.copyOf(jpeg, cut);
            assertThrows(ImageHeader.InvalidImageException.class, () -> ImageHeader.read(part), "cut at " + cut);
        }
        assertRefused(Arrays.copyOf(jpeg, jpeg.length - 2), "without an end-of-image marker");
    }

    /** SOI, SOF0 (8 x 8, one component), a scan with {@code data} as its entropy-coded bytes, then {@code after}. */
    private static byte[] jpegWithScan(byte[] data, int... after) {
        byte[] head = jpegOf(0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00);
        int scanData = head.length - 3; // jpegOf ends with one data byte and EOI
        byte[] b = Arrays.copyOf(head, scanData + data.length + after.length);
        System.arraycopy(data, 0, b, scanData, data.length);
        for (int i = 0; i < after.length; i++) {
            b[scanData + data.length + i] = (byte) after[i];
        }
        return b;
    }

    @Test
    void theScanEndsAtTheFirstRealMarkerWhereverItFallsInAWord() {
        // entropy-coded data of every length up to 40 bytes, with a stuffed zero, a restart marker and
        // fill bytes at every offset: the walk must stop at the marker after the data, never before or past it
        Random random = new Random(5);
        int[][] inData = {{0xFF, 0x00}, {0xFF, 0xD3}, {0xFF, 0xFF, 0x00}};
        for (int length = 0; length <= 40; length++) {
            for (int[] special : inData) {
                for (int at = 0; at + special.length <= length; at++) {
                    byte[] data = new byte[length];
                    for (int i = 0; i < length; i++) {
                        data[i] = (byte) random.nextInt(0xFF); // 0x00..0xFE
                    }
                    for (int i = 0; i < special.length; i++) {
                        data[at + i] = (byte) special[i];
                    }
                    String where = "data of " + length + " bytes, " + Arrays.toString(special) + " at " + at;
                    assertEquals(jpegHeader(8, 8, 1), ImageHeader.read(jpegWithScan(data, 0xFF, 0xD9)), where);
                    // a comment right after the scan that claims more than there is: found only if the walk stops at it
                    ImageHeader.InvalidImageException e = assertThrows(ImageHeader.InvalidImageException.class,
                            () -> ImageHeader.read(jpegWithScan(data, 0xFF, 0xFE, 0xFF, 0xF0, 0xFF, 0xD9)), where);
                    assertTrue(e.getMessage().contains("claims 65520 bytes"), where + ": " + e.getMessage());
                    assertRefused(jpegWithScan(data), "without an end-of-image marker");
                }
            }
        }
    }

    @Test
    void jpegWithGarbageWhereAMarkerShouldBeIsRefused() {
        byte[] jpeg = encode(40, 30, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        byte[] broken = jpeg.clone();
        // the first segment after SOI is JFIF APP0; overwrite the next marker position
        int app0Length = ((broken[4] & 0xff) << 8) | (broken[5] & 0xff);
        broken[2 + 2 + app0Length] = 0x42;
        assertRefused(broken, "no marker at byte");
    }

    @Test
    void jpegSegmentClaimingMoreThanThereIsIsRefused() {
        byte[] jpeg = encode(40, 30, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        byte[] broken = jpeg.clone();
        broken[4] = (byte) 0xFF; // APP0 claims 65 kB
        broken[5] = (byte) 0xF0;
        assertRefused(broken, "claims 65520 bytes");
    }

    @Test
    void pngWithoutItsHeaderChunkIsRefused() {
        byte[] png = encode(50, 20, ".png");
        byte[] broken = Arrays.copyOf(png, 40);
        Arrays.fill(broken, 8, 40, (byte) 0);
        assertThrows(ImageHeader.InvalidImageException.class, () -> ImageHeader.read(broken));
        assertRefused(Arrays.copyOf(png, 12), "truncated PNG");
    }

    @Test
    void pngWithZeroWidthOrABadChecksumIsRefused() {
        byte[] png = encode(50, 20, ".png");
        byte[] zero = png.clone();
        Arrays.fill(zero, 16, 20, (byte) 0);
        assertRefused(zero, "checksum of chunk IHDR");
        byte[] flipped = png.clone();
        flipped[png.length - 20] ^= 0x01; // inside the last IDAT
        assertRefused(flipped, "checksum of chunk IDAT");
    }

    @Test
    void pngCutAnywhereIsRefused() {
        byte[] png = encode(50, 20, ".png");
        for (int cut = 8; cut < png.length; cut += Math.max(1, png.length / 89)) {
            byte[] part = Arrays.copyOf(png, cut);
            assertThrows(ImageHeader.InvalidImageException.class, () -> ImageHeader.read(part), "cut at " + cut);
        }
        assertRefused(Arrays.copyOf(png, png.length - 12), "no IEND chunk");
    }
}
