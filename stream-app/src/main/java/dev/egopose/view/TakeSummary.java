package dev.egopose.view;

/**
 * One take in the list.
 *
 * @param uid             take uid (or headset id), as on the topics
 * @param name            take name, may be empty
 * @param poses           pose records seen
 * @param framesPerSecond poses per second over the newest kept ones (by emit time)
 * @param latencyMsP50    median capture-to-pose latency of the kept poses
 * @param latencyMsLast   the newest pose's latency
 * @param deadLetters     records of this take on the dead-letter topic
 * @param lastFrame       the newest pose's frame number, -1 before any
 */
public record TakeSummary(String uid, String name, long poses, double framesPerSecond, double latencyMsP50, double latencyMsLast,
        long deadLetters, long lastFrame) {}
