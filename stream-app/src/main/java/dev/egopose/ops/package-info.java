/** Operations: the Prometheus metrics registry of the stream processor and its small HTTP server for /metrics and /health. */
package dev.egopose.ops;
