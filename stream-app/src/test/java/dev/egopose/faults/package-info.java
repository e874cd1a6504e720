/** Process-level fault tests: the real CLI in separate JVMs, killed and restarted, its output counted exactly. */
package dev.egopose.faults;
