/** The {@code egopose} command line: picocli commands, and the only place where objects are wired together. */
package dev.egopose.cli;
