/** Synthetic Ego-Exo4D takes with exact hand ground truth: a parametric hand ray-cast into fisheye and pinhole images. */
package dev.egopose.synth;
