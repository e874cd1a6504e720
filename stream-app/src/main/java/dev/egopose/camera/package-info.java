/** Aria RGB camera geometry: Fisheye624 and pinhole models, projectaria calibration JSON, undistortion maps. */
package dev.egopose.camera;
