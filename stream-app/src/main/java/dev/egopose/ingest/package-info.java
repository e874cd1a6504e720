/** Frames in over HTTP: the endpoint that validates a headset's frame and publishes it to the frames topic. */
package dev.egopose.ingest;
