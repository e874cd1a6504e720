package dev.egopose.render;

import java.nio.file.Path;

/** The pictures written for one frame: the overlay on the undistorted image and the 3D skeleton plot (PNG). */
public record RenderedFrame(Path overlay, Path skeletons) {}
