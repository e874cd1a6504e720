/** Aria hand tracking: MPS CSV readers, matching samples to frames, and landmarks to the benchmark's hand boxes. */
package dev.egopose.handtrack;
