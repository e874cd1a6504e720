package dev.egopose.faults;

/** One frame of one take: what the poses topic must hold exactly once. */
record FrameKey(String takeUid, int frameNumber) {}
