package dev.egopose.view;

import dev.egopose.schema.HandPoses;

/** Pose records made as {@link ViewBoardTest} makes them, for tests in other packages. */
public final class ViewBoardTestAccess {
    private ViewBoardTestAccess() {}

    public static HandPoses poses(String uid, String name, long frame) {
        return ViewBoardTest.poses(uid, name, frame, ViewBoardTest.joints(0));
    }
}
