package dev.egopose.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes: the header walk either answers a plausible header or refuses with its own exception,
 * never anything else (no index error, no endless loop, no allocation from a claimed length).
 */
class ImageHeaderFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void readsOrRefusesAnyBytes(byte[] data) {
        ImageHeader header;
        try {
            header = ImageHeader.read(data);
        } catch (ImageHeader.InvalidImageException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            return;
        }
        assertTrue(header.width() > 0 && header.height() > 0, header.toString());
        assertTrue(header.components() >= 1 && header.components() <= 4, header.toString());
    }
}
