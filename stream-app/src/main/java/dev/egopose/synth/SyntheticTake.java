package dev.egopose.synth;

import java.util.List;
import java.util.Objects;

/** One generated take: its uid, its name and its frame numbers (in order). */
public record SyntheticTake(String uid, String name, List<Integer> frameNumbers) {
    public SyntheticTake {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(name, "name");
        frameNumbers = List.copyOf(frameNumbers);
    }
}
