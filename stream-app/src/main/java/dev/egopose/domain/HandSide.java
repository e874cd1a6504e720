package dev.egopose.domain;

import java.util.Locale;

/** Which hand. The benchmark's JSON spells them {@code left} and {@code right}. */
public enum HandSide {
    LEFT,
    RIGHT;

    /** The lower-case name used in Ego-Exo4D JSON keys ({@code left_hand_3d}, ...). */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code left}/{@code right} in any case; names the bad value otherwise. */
    public static HandSide parse(String text) {
        for (HandSide side : values()) {
            if (side.name().equalsIgnoreCase(text)) {
                return side;
            }
        }
        throw new IllegalArgumentException("unknown hand side '" + text + "' (expected left or right)");
    }
}
