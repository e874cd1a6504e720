/** Mapping between domain records and the generated Avro classes, registry-free single-object serdes, and topics that carry their serdes. */
package dev.egopose.avro;
