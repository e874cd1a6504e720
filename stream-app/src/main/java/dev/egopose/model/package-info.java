/** The hand pose model as the rest of the system sees it: the interface, the model card, bundled models. */
package dev.egopose.model;
