/** Hand crops for POTTER: the benchmark's box affine, exact and fused undistort+crop, image to CHW tensor. */
package dev.egopose.crop;
