package dev.egopose.handtrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egopose.domain.HandSide;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MPS readers on files of both kinds and versions, bad rows named by line and column, and nearest-time matching. */
class MpsHandTrackingCsvTest {
    @TempDir
    Path tmp;

    private static String wristPalmHeader(boolean v2) {
        List<String> cols = new ArrayList<>(List.of("tracking_timestamp_us"));
        for (String s : new String[] {"left", "right"}) {
            cols.add(s + "_tracking_confidence");
            for (String part : new String[] {"wrist", "palm"}) {
                cols.addAll(List.of("tx_" + s + "_" + part + "_device", "ty_" + s + "_" + part + "_device", "tz_" + s + "_" + part + "_device"));
            }
        }
        if (v2) {
            for (String s : new String[] {"left", "right"}) {
                for (String part : new String[] {"palm", "wrist"}) {
                    cols.addAll(List.of("nx_" + s + "_" + part + "_device", "ny_" + s + "_" + part + "_device", "nz_" + s + "_" + part + "_device"));
                }
            }
        }
        return String.join(",", cols);
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(tmp.resolve(name), List.of(lines));
    }

    @Test
    void wristAndPalmPosesV1AndV2ReadTheSame() throws IOException {
        String row = "2000,0.8,0.1,0.2,0.3,0.11,0.21,0.31,-1,0,0,0,0,0,0";
        Path v1 = write("v1.csv", wristPalmHeader(false), row, "1000,-1,0,0,0,0,0,0,0.7,1,2,3,4,5,6");
        Path v2 = write("v2.csv", wristPalmHeader(true), row + ",0,0,1,0,0,1,0,0,1,0,0,1",
                "1000,-1,0,0,0,0,0,0,0.7,1,2,3,4,5,6,0,0,1,0,0,1,0,0,1,0,0,1");
        for (Path file : List.of(v1, v2)) {
            List<TrackingSample> samples = MpsHandTrackingCsv.read(file);
            assertEquals(List.of(1000L, 2000L), samples.stream().map(TrackingSample::timeUs).toList(), "sorted by time");
            TrackedHand right = samples.get(0).hands().get(0);
            assertEquals(HandSide.RIGHT, right.side());
            assertArrayEquals(new double[] {1, 2, 3}, right.wrist());
            assertArrayEquals(new double[] {4, 5, 6}, right.palm());
            assertTrue(!right.hasLandmarks());
            TrackedHand left = samples.get(1).hands().get(0);
            assertEquals(HandSide.LEFT, left.side());
            assertEquals(0.8, left.confidence());
            assertEquals(1, samples.get(1).hands().size(), "confidence -1 is an absent hand");
        }
    }

    @Test
    void badRowsAndHeadersAreNamed() throws IOException {
        Path notNumber = write("a.csv", wristPalmHeader(false), "1000,0.8,0.1,oops,0.3,0.11,0.21,0.31,-1,0,0,0,0,0,0");
        var e = assertThrows(HandTrackingFormatException.class, () -> MpsHandTrackingCsv.read(notNumber));
        assertEquals(notNumber + ": line 2, column ty_left_wrist_device: 'oops' is not a number", e.getMessage());

        Path badTime = write("b.csv", wristPalmHeader(false), "12.5,0.8,0.1,0.2,0.3,0.11,0.21,0.31,-1,0,0,0,0,0,0");
        e = assertThrows(HandTrackingFormatException.class, () -> MpsHandTrackingCsv.read(badTime));
        assertTrue(e.getMessage().contains("line 2, column tracking_timestamp_us: '12.5' is not an integer"), e.getMessage());

        Path shortRow = write("c.csv", wristPalmHeader(false), "1000,0.8,0.1");
        e = assertThrows(HandTrackingFormatException.class, () -> MpsHandTrackingCsv.read(shortRow));
        assertTrue(e.getMessage().contains("line 2 has 3 values, the header 15"), e.getMessage());

        Path nan = write("d.csv", wristPalmHeader(false), "1000,0.8,NaN,0.2,0.3,0.11,0.21,0.31,-1,0,0,0,0,0,0");
        e = assertThrows(HandTrackingFormatException.class, () -> MpsHandTrackingCsv.read(nan));
        assertTrue(e.getMessage().contains("column tx_left_wrist_device: 'NaN' is not a finite number"), e.getMessage());

        Path other = write("e.csv", "tracking_timestamp_us,something_else", "1,2");
        e = assertThrows(HandTrackingFormatException.class, () -> MpsHandTrackingCsv.read(other));
        assertTrue(e.getMessage().contains("neither hand_tracking_results.csv"), e.getMessage());

        Path missing = write("f.csv", wristPalmHeader(false).replace(",tz_right_palm_device", ""), "1");
        e = assertThrows(HandTrackingFormatException.class, () -> MpsHandTrackingCsv.read(missing));
        assertTrue(e.getMessage().endsWith("header has no column tz_right_palm_device"), e.getMessage());

        Path empty = write("g.csv");
        e = assertThrows(HandTrackingFormatException.class, () -> MpsHandTrackingCsv.read(empty));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    }

    @Test
    void framesMatchTheNearestSampleWithinTheTolerance() {
        TrackingTimeline timeline = new TrackingTimeline(List.of(new TrackingSample(1000, List.of()), new TrackingSample(2000, List.of()),
                new TrackingSample(4000, List.of())));
        assertEquals(Optional.of(1000L), timeline.nearest(900, 200).map(TrackingSample::timeUs));
        assertEquals(Optional.of(2000L), timeline.nearest(1600, 500).map(TrackingSample::timeUs));
        assertEquals(Optional.of(1000L), timeline.nearest(1500, 500).map(TrackingSample::timeUs), "a tie takes the earlier sample");
        assertEquals(Optional.of(4000L), timeline.nearest(4100, 100).map(TrackingSample::timeUs));
        assertEquals(Optional.empty(), timeline.nearest(3000, 999));
        assertEquals(Optional.empty(), timeline.nearest(5000, 999));
        assertEquals(Optional.empty(), new TrackingTimeline(List.of()).nearest(1, 1));
    }
}
