package dev.egopose.domain;

/** How hand crops are made from a distorted fisheye frame. */
public enum CropMode {
    /** As the benchmark: undistort the whole frame to the 512x512 pinhole image, then crop. */
    EXACT,
    /** One remap per hand straight from the fisheye frame to the 224x224 crop (faster). */
    FUSED
}
