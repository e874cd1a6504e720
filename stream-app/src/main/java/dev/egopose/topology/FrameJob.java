package dev.egopose.topology;

import dev.egopose.schema.Frame;

/**
 * A decoded, validated frame on its way through the topology.
 *
 * @param takeUid       the record key (the take uid)
 * @param frame         the Avro frame
 * @param image         its encoded image (inline bytes, or read from its URI)
 * @param originalKey   the record's key bytes, kept for the dead-letter topic
 * @param originalValue the record's value bytes, kept for the dead-letter topic
 * @param receivedAtMs  wall clock when the processor took the record
 * @param decodeMs      time spent decoding and validating it
 */
record FrameJob(String takeUid, Frame frame, byte[] image, byte[] originalKey, byte[] originalValue, long receivedAtMs, float decodeMs) {
    /** Names the frame in messages: take uid and frame number. */
    String describe() {
        return "take " + takeUid + " frame " + frame.getFrameNumber();
    }
}
