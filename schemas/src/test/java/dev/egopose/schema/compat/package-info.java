/** Checks that the current Avro contract can read every earlier version of it (schemas/COMPATIBILITY.md). */
package dev.egopose.schema.compat;
