/** Consumes the poses topic into the benchmark's submission JSON, atomically and idempotently. */
package dev.egopose.sink;
