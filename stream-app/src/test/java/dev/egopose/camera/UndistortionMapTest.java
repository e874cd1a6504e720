package dev.egopose.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;

class UndistortionMapTest {
    private final UndistortionMap map = UndistortionMap.benchmark(CameraReference.calibration1408());

    @Test
    void sourcesAndValidityMatchNumpy() {
        JsonNode samples = CameraReference.root().get("undistort_map");
        int valid = 0;
        for (JsonNode s : samples) {
            double[] target = CameraReference.doubles(s.get("target"));
            double[] source = CameraReference.doubles(s.get("source"));
            int x = (int) target[0];
            int y = (int) target[1];
            if (x != target[0] || y != target[1]) {
                continue;
            }
            ImagePoint got = map.sourceOf(x, y);
            // stored as float32: about 1e-4 px resolution at 1400
            assertEquals(source[0], got.x(), 2e-3, "x of " + s);
            assertEquals(source[1], got.y(), 2e-3, "y of " + s);
            assertEquals(s.get("valid").asBoolean(), map.isValid(x, y), "validity of " + s);
            valid += map.isValid(x, y) ? 1 : 0;
        }
        assertTrue(valid > 100 && valid < samples.size() - 100, "valid " + valid + " of " + samples.size());
    }

    @Test
    void coneAndFrameEdgesDecideValidity() {
        // 150 tan(1.0) = 233.6 px: leftwards the cone ends inside the frame, rightwards the frame's edge comes first
        assertTrue(map.isValid(23, 255), "232.5 px left of centre");
        assertFalse(map.isValid(21, 255), "234.5 px left of centre: outside the 1.0 rad cone");
        assertFalse(map.isValid(489, 255), "inside the cone but beyond the frame's right edge");
        assertTrue(map.sourceOf(489, 255).x() > 1407);
    }

    @Test
    void validityMaskIsTheConeClippedByTheFrame() {
        Mat mask = map.validityMask();
        try {
            int count = Core.countNonZero(mask);
            // the 1.0 rad disc has radius 150 tan(1) = 233.6 px (about 171,000 pixels); the 1408 frame's
            // edges cut it a little where the fisheye circle leaves the sensor
            double disc = Math.PI * Math.pow(150 * Math.tan(1.0), 2);
            assertTrue(count <= disc + 2000 && count > 0.9 * disc, "valid pixels " + count + ", disc " + disc);
            assertEquals(255, (int) mask.get(255, 255)[0]);
            assertEquals(0, (int) mask.get(0, 0)[0]);
        } finally {
            mask.release();
        }
    }

    @Test
    void cacheReturnsTheSameMapAndEvictsTheEldest() {
        UndistortionMapCache cache = new UndistortionMapCache(2);
        RgbCalibration a = CameraReference.calibration1408();
        RgbCalibration b = a.fittedTo(704, 704);
        RgbCalibration c = a.cropAndScale(0, 0, 1408, 1408, 0.25);
        UndistortionMap first = cache.benchmark(a);
        assertSame(first, cache.benchmark(new RgbCalibration(new Fisheye624(a.model().params()), 1408, 1408)));
        cache.benchmark(b);
        cache.benchmark(c);
        assertEquals(2, cache.size());
        assertNotSame(first, cache.benchmark(a));
    }
}
