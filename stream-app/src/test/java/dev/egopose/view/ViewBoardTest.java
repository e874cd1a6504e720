package dev.egopose.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.schema.HandBox;
import dev.egopose.schema.HandPose;
import dev.egopose.schema.HandPoses;
import dev.egopose.schema.HandSide;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The view's memory: bounded in takes, poses and pictures; refuses records it cannot show; pushes to watchers. */
class ViewBoardTest {
    /** A plausible right hand, wrist-relative, metres: five fingers fanning up from the wrist. */
    static List<Double> joints(double shift) {
        List<Double> xyz = new ArrayList<>(List.of(0.0, 0.0, 0.0));
        for (int finger = 0; finger < 5; finger++) {
            for (int k = 1; k <= 4; k++) {
                xyz.addAll(List.of((finger - 2) * 0.02 + shift, -0.02 * k, 0.01 * finger));
            }
        }
        return xyz;
    }

    static HandPoses poses(String uid, String name, long frame, List<Double> joints) {
        long now = System.currentTimeMillis();
        HandPose hand = HandPose.newBuilder().setSide(HandSide.RIGHT).setJoints(joints)
                .setBox(new HandBox(HandSide.RIGHT, 300.0, 200.0, 420.0, 330.0)).build();
        return HandPoses.newBuilder().setTakeUid(uid).setTakeName(name).setFrameNumber(frame).setCaptureTimeNs((now - 80) * 1_000_000L)
                .setHands(List.of(hand)).setModelId("test").setReceivedAtMs(now - 60).setEmittedAtMs(now).build();
    }

    @Test
    void keepsTheNewestPosesAndPicturesOfTheMostRecentTakes() {
        TakeBoard board = new TakeBoard(new ViewLimits(2, 3, 2, 16));
        for (int f = 0; f < 5; f++) {
            board.pose(poses("a", "take a", f, joints(0)));
            board.picture("a", "take a", f, new byte[] {(byte) f});
        }
        board.pose(poses("b", "", 0, joints(0)));
        assertEquals(List.of(2L, 3L, 4L), board.snapshot("a", 10).orElseThrow().frames().stream().map(PoseFrame::frameNumber).toList());
        assertEquals(5, board.snapshot("a", 10).orElseThrow().take().poses(), "counts go on past what is kept");
        assertTrue(board.picture("a", 2).isEmpty(), "only the newest 2 pictures are kept");
        assertArrayEquals(new byte[] {4}, board.picture("a", 4).orElseThrow());

        board.pose(poses("c", "", 0, joints(0)));
        assertEquals(List.of("c", "b"), board.summaries().stream().map(TakeSummary::uid).toList(), "take a, updated longest ago, is gone");
        board.pose(poses("b", "", 1, joints(0)));
        assertEquals(List.of("b", "c"), board.summaries().stream().map(TakeSummary::uid).toList(), "most recently updated first");
    }

    @Test
    void poseFramesAreWristRelativeAndProjectedIntoThe512View() {
        TakeBoard board = new TakeBoard(ViewLimits.DEFAULTS);
        List<Double> absolute = joints(0).stream().map(v -> v + 0.05).toList(); // the wrist not at the origin
        board.picture("a", "", 7, new byte[] {1});
        board.pose(poses("a", "", 7, absolute));
        PoseFrame frame = board.snapshot("a", 1).orElseThrow().frames().get(0);
        HandView hand = frame.hands().get(0);
        assertEquals(7, frame.picture(), "the frame's own picture");
        board.picture("a", "", 9, new byte[] {1});
        board.pose(poses("a", "", 8, absolute));
        assertEquals(7, board.snapshot("a", 1).orElseThrow().frames().get(0).picture(), "never a later frame's picture");
        assertEquals(0, hand.joints()[0], 1e-12);
        assertEquals(-0.04, hand.joints()[3], 1e-12, "thumb base relative to the wrist");
        assertEquals(42, hand.pixels().length);
        for (int j = 0; j < 21; j++) {
            assertTrue(hand.pixels()[2 * j] > 250 && hand.pixels()[2 * j] < 470, "joint " + j + " near the box, x " + hand.pixels()[2 * j]);
        }
        assertTrue(frame.latencyMs() >= 80 && frame.latencyMs() < 1000, "capture to pose " + frame.latencyMs());
    }

    @Test
    void recordsItCannotShowAreRefusedAndLeaveNoTrace() {
        TakeBoard board = new TakeBoard(new ViewLimits(4, 4, 2, 16));
        List<Double> nan = new ArrayList<>(joints(0));
        nan.set(5, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> board.pose(poses("a", "", 0, nan)));
        assertThrows(IllegalArgumentException.class, () -> board.pose(poses("a", "", 0, joints(0).subList(0, 60))));
        assertThrows(IllegalArgumentException.class, () -> board.pose(poses("x".repeat(17), "", 0, joints(0))));
        assertThrows(IllegalArgumentException.class, () -> board.pose(poses("", "", 0, joints(0))));
        HandPoses noArea = poses("a", "", 0, joints(0));
        noArea.getHands().get(0).getBox().setX2(100.0);
        assertThrows(IllegalArgumentException.class, () -> board.pose(noArea));
        assertEquals(0, board.totals().takes());
        board.deadLetter(null);
        board.deadLetter("d");
        assertEquals(new TakeBoard.Totals(1, 2, 0), board.totals());
    }

    @Test
    void watchersGetEachUpdateAndDropTheOldestWhenBehind() throws Exception {
        TakeBoard board = new TakeBoard(ViewLimits.DEFAULTS);
        try (TakeBoard.Watcher watcher = board.watch("a", 2)) {
            for (int f = 0; f < 3; f++) {
                board.pose(poses("a", "", f, joints(0)));
            }
            board.pose(poses("other", "", 0, joints(0)));
            assertEquals(1, watcher.updates().take().pose().frameNumber());
            assertEquals(2, watcher.updates().take().take().lastFrame());
            assertTrue(watcher.updates().isEmpty());
        }
        board.pose(poses("a", "", 3, joints(0))); // nobody watching any more: no error
    }
}
