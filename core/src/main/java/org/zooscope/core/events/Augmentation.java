package org.zooscope.core.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Test-time augmentation level, CDeep3M's augspeed: how many of the 8 (2D) or 16 (2.5D) variants are averaged. */
public enum Augmentation {
    NONE, FAST, STANDARD, FULL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Augmentation parse(String value) {
        for (Augmentation a : values()) {
            if (a.wire().equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("augmentation must be one of none, fast, standard, full but was '" + value + "'");
    }
}
