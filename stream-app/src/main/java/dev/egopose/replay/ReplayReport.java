package dev.egopose.replay;

import java.util.List;

/**
 * What a replay did.
 *
 * @param published     frames sent and acknowledged by the broker
 * @param missingImages frames skipped because their image was missing or unreadable
 * @param failedSends   frames the broker refused (e.g. too large)
 * @param problems      the first few problems, each naming the take, frame and file
 * @param seconds       wall time
 */
public record ReplayReport(int published, int missingImages, int failedSends, List<String> problems, double seconds) {
    public ReplayReport {
        problems = List.copyOf(problems);
    }
}
