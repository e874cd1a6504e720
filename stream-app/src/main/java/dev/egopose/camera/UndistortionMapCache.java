package dev.egopose.camera;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, least-recently-used cache of {@link UndistortionMap}s, one per (calibration, target,
 * cone). A stream sees a handful of takes at a time, each with its own calibration; computing a
 * 512x512 map costs milliseconds, looking one up nothing. Thread-safe. Evicted maps hold no native
 * memory that needs closing (see {@link UndistortionMap}).
 */
public final class UndistortionMapCache {
    private record Key(RgbCalibration calibration, PinholeCamera target, double maxAngle) {}

    private final int capacity;
    private final Map<Key, UndistortionMap> maps;

    public UndistortionMapCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.maps = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, UndistortionMap> eldest) {
                return size() > UndistortionMapCache.this.capacity;
            }
        };
    }

    /** The map for {@code calibration} (already fitted to the frame) onto {@code target}. */
    public synchronized UndistortionMap get(RgbCalibration calibration, PinholeCamera target, double maxAngle) {
        return maps.computeIfAbsent(new Key(calibration, target, maxAngle),
                key -> UndistortionMap.compute(key.calibration(), key.target(), key.maxAngle()));
    }

    /** The benchmark's map (512x512, f = 150, 1.0 rad) for {@code calibration}. */
    public UndistortionMap benchmark(RgbCalibration calibration) {
        return get(calibration, PinholeCamera.BENCHMARK, UndistortionMap.BENCHMARK_MAX_ANGLE);
    }

    public synchronized int size() {
        return maps.size();
    }
}
