package dev.egopose.handtrack;

import dev.egopose.domain.HandSide;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes samples as MPS {@code hand_tracking_results.csv} (v2 columns: confidences, 21 landmarks per
 * hand, wrist poses and palm/wrist normals, the last two written as zeros since egopose does not use
 * them). An absent hand gets confidence -1, as MPS writes it. Atomic: temp file, then rename.
 */
public final class MpsHandTrackingWriter {
    private MpsHandTrackingWriter() {}

    public static void write(List<TrackingSample> samples, Path target) throws IOException {
        List<String> header = header();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write(String.join(",", header));
            out.write('\n');
            for (TrackingSample sample : samples) {
                List<String> row = new ArrayList<>(header.size());
                row.add(Long.toString(sample.timeUs()));
                for (HandSide side : HandSide.values()) {
                    TrackedHand hand = sample.hands().stream().filter(h -> h.side() == side).findFirst().orElse(null);
                    if (hand != null && !hand.hasLandmarks()) {
                        throw new IllegalArgumentException("hand_tracking_results.csv needs all 21 landmarks; the " + side + " hand at "
                                + sample.timeUs() + " has only wrist and palm");
                    }
                    row.add(hand == null ? "-1" : Double.toString(hand.confidence()));
                    double[] landmarks = hand == null ? new double[3 * TrackedHand.LANDMARKS] : hand.landmarks();
                    for (double v : landmarks) {
                        row.add(Double.toString(v));
                    }
                    for (int i = 0; i < 7; i++) {
                        row.add(i == 6 ? "1" : "0"); // wrist pose: identity quaternion (qw = 1)
                    }
                }
                for (int i = 0; i < 12; i++) {
                    row.add("0");
                }
                out.write(String.join(",", row));
                out.write('\n');
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> header() {
        List<String> cols = new ArrayList<>(List.of("tracking_timestamp_us"));
        for (HandSide side : HandSide.values()) {
            String s = side.name().toLowerCase(Locale.ROOT);
            cols.add(s + "_tracking_confidence");
            for (int i = 0; i < TrackedHand.LANDMARKS; i++) {
                for (String axis : new String[] {"x", "y", "z"}) {
                    cols.add("t" + axis + "_" + s + "_landmark_" + i + "_device");
                }
            }
            for (String c : new String[] {"tx", "ty", "tz", "qx", "qy", "qz", "qw"}) {
                cols.add(c + "_" + s + "_device_wrist");
            }
        }
        for (HandSide side : HandSide.values()) {
            String s = side.name().toLowerCase(Locale.ROOT);
            for (String part : new String[] {"palm", "wrist"}) {
                for (String axis : new String[] {"x", "y", "z"}) {
                    cols.add("n" + axis + "_" + s + "_" + part + "_device");
                }
            }
        }
        return cols;
    }
}
