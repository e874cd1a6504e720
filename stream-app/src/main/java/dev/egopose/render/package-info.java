/** Pictures of hand poses: skeleton and box overlays on undistorted frames, and 3D skeleton plots (OpenCV drawing). */
package dev.egopose.render;
