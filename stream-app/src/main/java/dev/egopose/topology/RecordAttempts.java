package dev.egopose.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often each record (topic, partition, offset) has failed in an unforeseen way, shared by all
 * stream threads of the processor: a thread that dies on a record is replaced and reads the same
 * record again, and this count is what stops that loop. Bounded: the oldest entries are forgotten.
 */
final class RecordAttempts {
    private static final int REMEMBERED = 4096;

    private final int maxAttempts;
    private final Map<String, Integer> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    };

    RecordAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** Counts one more failure of the record at this position; returns the count so far. */
    synchronized int failed(String position) {
        return failures.merge(position, 1, Integer::sum);
    }

    /** Forgets a record once it went through. */
    synchronized void succeeded(String position) {
        if (!failures.isEmpty()) {
            failures.remove(position);
        }
    }
}
