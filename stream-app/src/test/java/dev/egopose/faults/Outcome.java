package dev.egopose.faults;

/**
 * What one fault scenario measured; {@link #line()} is the {@code faults:} line it prints.
 *
 * @param frames     frames replayed (and acknowledged by the broker)
 * @param poses      pose records on the poses topic under read_committed
 * @param lost       replayed frames without a pose record
 * @param duplicated pose records beyond one per replayed frame
 * @param aborted    pose records written in transactions that were aborted (work redone after a fault;
 *                   invisible under read_committed)
 * @param dlq        records on the dead-letter topic
 * @param kills      processes killed (SIGKILL, or SIGTERM in the SIGTERM scenario)
 * @param seconds    wall time of the scenario
 * @param settle     seconds from the last input commit until no transaction was open on the poses topic
 *                   (a killed processor's open transaction hides later poses from read_committed until
 *                   the broker aborts it)
 * @param detail     scenario-specific measurements, {@code key=value} separated by spaces (may be empty)
 */
record Outcome(String scenario, int frames, int poses, int lost, int duplicated, int aborted, long dlq, int kills, double seconds, double settle, String detail) {
    String line() {
        return String.format("faults: %s frames=%d poses=%d lost=%d duplicated=%d aborted=%d dlq=%d kills=%d seconds=%.0f settle_seconds=%.1f%s",
                scenario, frames, poses, lost, duplicated, aborted, dlq, kills, seconds, settle, detail.isEmpty() ? "" : " " + detail);
    }

    boolean exact() {
        return poses == frames && lost == 0 && duplicated == 0 && dlq == 0;
    }
}
