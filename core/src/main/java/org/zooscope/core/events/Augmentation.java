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

    /**
     * How many variants of each tile a worker runs at this level for a model taking {@code frames} z-frames (CDeep3M's
     * augspeed table, as the worker's {@code TestTimeAugmentation} applies it): a 1-frame model gets at most the 8
     * spatial variants, others the 16 with z-reversal. The factor by which augmentation multiplies inference time.
     */
    public int variants(int frames) {
        return switch (this) {
            case NONE -> 1;
            case FAST -> 4;
            case STANDARD -> frames == 1 ? 4 : 8;
            case FULL -> frames == 1 ? 8 : 16;
        };
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
