/** Ego-Exo4D hand pose file formats: gt_anno annotation files (any split) and submission JSON, read and written. */
package dev.egopose.egoexo;
