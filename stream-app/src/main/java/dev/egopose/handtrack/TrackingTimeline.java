package dev.egopose.handtrack;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Hand-tracking samples in time order, looked up by the nearest device time within a tolerance. */
public final class TrackingTimeline {
    private final List<TrackingSample> samples;
    private final long[] times;

    /** @param samples in time order (as {@link MpsHandTrackingCsv#read} returns them) */
    public TrackingTimeline(List<TrackingSample> samples) {
        this.samples = List.copyOf(samples);
        this.times = samples.stream().mapToLong(TrackingSample::timeUs).toArray();
        for (int i = 1; i < times.length; i++) {
            if (times[i] < times[i - 1]) {
                throw new IllegalArgumentException("hand-tracking samples are not in time order at " + times[i]);
            }
        }
    }

    public int size() {
        return samples.size();
    }

    /** The earliest sample (there must be one). */
    public TrackingSample first() {
        return samples.get(0);
    }

    /** The sample nearest to {@code timeUs}, if one lies within {@code toleranceUs}. */
    public Optional<TrackingSample> nearest(long timeUs, long toleranceUs) {
        if (times.length == 0) {
            return Optional.empty();
        }
        int at = Arrays.binarySearch(times, timeUs);
        int best;
        if (at >= 0) {
            best = at;
        } else {
            int next = -at - 1;
            if (next == 0) {
                best = 0;
            } else if (next == times.length) {
                best = times.length - 1;
            } else {
                best = timeUs - times[next - 1] <= times[next] - timeUs ? next - 1 : next;
            }
        }
        return Math.abs(times[best] - timeUs) <= toleranceUs ? Optional.of(samples.get(best)) : Optional.empty();
    }
}
