package dev.egopose.sink;

/**
 * What a sink run collected.
 *
 * @param frames           distinct frames received
 * @param hands            hand poses received (re-deliveries counted once)
 * @param records          pose records consumed (re-deliveries included)
 * @param complete         whether every hand the template asks for arrived (true without a template)
 * @param missingHands     template hands still without a prediction
 * @param latencyMsP50     median capture-to-pose latency (emitted - capture time)
 * @param latencyMsP99     99th percentile of the same
 * @param firstCaptureMs   earliest capture time seen (epoch ms)
 * @param lastEmittedMs    latest emission time seen (epoch ms)
 * @param stageMeansMs     mean per-frame time of the processor's stages (decode, crop, model), from the records
 */
public record SinkReport(
        int frames,
        int hands,
        long records,
        boolean complete,
        int missingHands,
        double latencyMsP50,
        double latencyMsP99,
        long firstCaptureMs,
        long lastEmittedMs,
        StageTimes stageMeansMs) {

    /** Mean milliseconds per frame spent in each stage of the processor; model includes the batch wait. */
    public record StageTimes(double decode, double crop, double model) {}

    /** Frames per second from the first capture to the last pose. */
    public double framesPerSecond() {
        double seconds = (lastEmittedMs - firstCaptureMs) / 1000.0;
        return seconds > 0 ? frames / seconds : 0;
    }
}
