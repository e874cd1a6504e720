package dev.egopose.replay;

/**
 * Real-time pacing of a stream of frames: frame {@code i} is due {@code i / fps} seconds after the
 * start; 0 fps means as fast as possible. Waiting for a late frame returns at once, so a slow send
 * never pushes every later frame back.
 */
public record Pacing(double fps, long startNanos) {
    public Pacing {
        if (!(fps >= 0)) {
            throw new IllegalArgumentException("fps must not be negative, got " + fps);
        }
    }

    /** Pacing that starts now. */
    public static Pacing startingNow(double fps) {
        return new Pacing(fps, System.nanoTime());
    }

    /** When frame {@code index} is due, in {@link System#nanoTime()} terms (the start itself at 0 fps). */
    public long dueNanos(long index) {
        return fps == 0 ? startNanos : startNanos + (long) (index * 1e9 / fps);
    }

    /** Sleeps until frame {@code index} is due. */
    public void awaitFrame(long index) throws InterruptedException {
        long wait = dueNanos(index) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
