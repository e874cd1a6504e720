package dev.egopose.handtrack;

import dev.egopose.domain.HandSide;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Machine Perception Services hand tracking: {@code hand_tracking_results.csv} (21 landmarks
 * per hand, v1 and v2, which adds palm and wrist normals) and the older
 * {@code wrist_and_palm_poses.csv} (wrist and palm only, v1 and v2). Columns are found by name, so
 * either version of either file reads the same; extra columns are ignored. A hand whose confidence
 * is at most 0 (MPS writes -1 for an absent hand) is left out, as projectaria's reader does.
 */
public final class MpsHandTrackingCsv {
    private MpsHandTrackingCsv() {}

    /** The samples of the file, in time order. */
    public static List<TrackingSample> read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new HandTrackingFormatException(file + ": empty file (expected a header line with tracking_timestamp_us)");
            }
            Columns columns = new Columns(file, header.strip().replace("\uFEFF", "").split(",", -1));
            List<TrackingSample> samples = new ArrayList<>();
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                samples.add(columns.sample(line.split(",", -1), number));
            }
            samples.sort(Comparator.comparingLong(TrackingSample::timeUs));
            return samples;
        } catch (IOException e) {
            throw new HandTrackingFormatException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Where each needed value sits in a row. */
    private static final class Columns {
        private final Path file;
        private final String[] names;
        private final Map<String, Integer> index = new HashMap<>();
        private final boolean landmarks;

        Columns(Path file, String[] names) {
            this.file = file;
            this.names = names;
            for (int i = 0; i < names.length; i++) {
                index.put(names[i].strip().toLowerCase(Locale.ROOT), i);
            }
            require("tracking_timestamp_us");
            landmarks = index.containsKey("tx_left_landmark_0_device") || index.containsKey("tx_right_landmark_0_device");
            boolean wristAndPalm = index.containsKey("tx_left_wrist_device") || index.containsKey("tx_right_wrist_device");
            if (!landmarks && !wristAndPalm) {
                throw new HandTrackingFormatException(file + ": neither hand_tracking_results.csv (tx_<side>_landmark_<i>_device columns)"
                        + " nor wrist_and_palm_poses.csv (tx_<side>_wrist_device columns)");
            }
            for (String side : new String[] {"left", "right"}) {
                require(side + "_tracking_confidence");
                if (landmarks) {
                    for (int i = 0; i < TrackedHand.LANDMARKS; i++) {
                        for (String axis : new String[] {"x", "y", "z"}) {
                            require("t" + axis + "_" + side + "_landmark_" + i + "_device");
                        }
                    }
                } else {
                    for (String part : new String[] {"wrist", "palm"}) {
                        for (String axis : new String[] {"x", "y", "z"}) {
                            require("t" + axis + "_" + side + "_" + part + "_device");
                        }
                    }
                }
            }
        }

        private void require(String name) {
            if (!index.containsKey(name)) {
                throw new HandTrackingFormatException(file + ": header has no column " + name);
            }
        }

        TrackingSample sample(String[] row, int line) {
            if (row.length < names.length) {
                throw new HandTrackingFormatException(file + ": line " + line + " has " + row.length + " values, the header "
                        + names.length);
            }
            long time;
            try {
                time = Long.parseLong(row[index.get("tracking_timestamp_us")].strip());
            } catch (NumberFormatException e) {
                throw bad(row, line, "tracking_timestamp_us", "an integer");
            }
            List<TrackedHand> hands = new ArrayList<>(2);
            for (HandSide side : HandSide.values()) {
                String s = side.name().toLowerCase(Locale.ROOT);
                double confidence = number(row, line, s + "_tracking_confidence");
                if (!(confidence > 0)) {
                    continue;
                }
                try {
                    if (landmarks) {
                        double[] points = new double[3 * TrackedHand.LANDMARKS];
                        for (int i = 0; i < TrackedHand.LANDMARKS; i++) {
                            points[3 * i] = number(row, line, "tx_" + s + "_landmark_" + i + "_device");
                            points[3 * i + 1] = number(row, line, "ty_" + s + "_landmark_" + i + "_device");
                            points[3 * i + 2] = number(row, line, "tz_" + s + "_landmark_" + i + "_device");
                        }
                        hands.add(TrackedHand.ofLandmarks(side, confidence, points));
                    } else {
                        hands.add(new TrackedHand(side, confidence, new double[0], point(row, line, s, "wrist"), point(row, line, s, "palm")));
                    }
                } catch (HandTrackingFormatException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw new HandTrackingFormatException(file + ": line " + line + ": " + e.getMessage());
                }
            }
            return new TrackingSample(time, hands);
        }

        private double[] point(String[] row, int line, String side, String part) {
            return new double[] {
                number(row, line, "tx_" + side + "_" + part + "_device"),
                number(row, line, "ty_" + side + "_" + part + "_device"),
                number(row, line, "tz_" + side + "_" + part + "_device")};
        }

        private double number(String[] row, int line, String column) {
            String text = row[index.get(column)].strip();
            try {
                double value = Double.parseDouble(text);
                if (!Double.isFinite(value)) {
                    throw bad(row, line, column, "a finite number");
                }
                return value;
            } catch (NumberFormatException e) {
                throw bad(row, line, column, "a number");
            }
        }

        private HandTrackingFormatException bad(String[] row, int line, String column, String expected) {
            String value = row[index.get(column)].strip();
            return new HandTrackingFormatException(file + ": line " + line + ", column " + column + ": '"
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "' is not " + expected);
        }
    }
}
