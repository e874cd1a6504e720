/** The Kafka Streams topology: frames in, decode, hand crops, batched POTTER, poses out, rejects to the dead-letter topic. */
package dev.egopose.topology;
