/** MPJPE and PA-MPJPE of a submission against gt_anno, computed exactly as the Ego-Exo4D benchmark computes them. */
package dev.egopose.eval;
