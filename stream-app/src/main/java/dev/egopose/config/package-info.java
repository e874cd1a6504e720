/** Immutable settings of the processor, loaded once: defaults, then a properties file, then environment, then flags. */
package dev.egopose.config;
