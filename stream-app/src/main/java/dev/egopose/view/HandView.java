package dev.egopose.view;

/**
 * One predicted hand as the page draws it.
 *
 * @param side   {@code LEFT} or {@code RIGHT}
 * @param box    x1, y1, x2, y2 in pixels of the undistorted 512 view
 * @param joints 21 x (x, y, z) metres, wrist-relative, camera axes (the 3D view)
 * @param pixels 21 x (x, y) in the 512 view: the joints placed on the ray through the box centre at a
 *               nominal depth and projected, as the PNG overlays do; empty when a joint falls behind the camera
 */
public record HandView(String side, double[] box, double[] joints, double[] pixels) {}
