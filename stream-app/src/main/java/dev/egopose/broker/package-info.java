/** An embedded single-node Kafka (KRaft) broker on loopback, and topic creation through the Admin client. */
package dev.egopose.broker;
