package org.zooscope.core.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.stream.IntStream;

/** Test-time augmentation level, CDeep3M's augspeed: how many of the 8 (2D) or 16 (2.5D) variants are averaged. */
public enum Augmentation {
    NONE, FAST, STANDARD, FULL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The variants a worker runs at this level for a model taking {@code frames} z-frames, ascending, in the numbering
     * of {@link org.zooscope.core.tiling.AugmentationVariants} (CDeep3M's 1-based ids minus one), from CDeep3M's
     * augspeed table ({@code augment_package.py}): {@code none} = augspeed 10, {@code fast} = 4, {@code standard}
     * = 2, {@code full} = 1.
     *
     * <pre>
     * augspeed | 1fm          | 3fm              | 5fm
     * 1 (full) | 1–8          | 1–16             | 1–16
     * 2 (std)  | {1,6,11,15}  | {1–4, 13–16}     | {5–12}
     * 4 (fast) | {2,3,6,7}    | {7,8,10,12}      | {1,6,11,15}
     * 10(none) | {1}          | {1}              | {1}
     * </pre>
     *
     * A 1-frame model never gets more than the 8 spatial variants (z-reversal of one frame is the identity); models
     * with another frame count use the 3-frame column (even counts) or the 5-frame column (odd counts above 3).
     */
    public int[] variantIndices(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("a model takes at least one frame but was given " + frames);
        }
        int[] oneBased = switch (this) {
            case NONE -> new int[] {1};
            case FULL -> frames == 1 ? range(1, 8) : range(1, 16);
            case STANDARD -> frames == 1 ? new int[] {1, 6, 11, 15}
                    : column(frames) == 3 ? concat(range(1, 4), range(13, 16)) : range(5, 12);
            case FAST -> frames == 1 ? new int[] {2, 3, 6, 7}
                    : column(frames) == 3 ? new int[] {7, 8, 10, 12} : new int[] {1, 6, 11, 15};
        };
        return IntStream.of(oneBased).map(v -> v - 1).toArray();
    }

    /** How many variants of each tile run: the factor by which augmentation multiplies inference time. */
    public int variants(int frames) {
        return variantIndices(frames).length;
    }

    /** Whether some of the variants swap height and width (a tile then also runs transposed). */
    public boolean swapsAxes(int frames) {
        return IntStream.of(variantIndices(frames)).anyMatch(org.zooscope.core.tiling.AugmentationVariants::swaps);
    }

    private static int column(int frames) {
        return frames >= 5 && frames % 2 == 1 ? 5 : 3;
    }

    private static int[] range(int from, int to) {
        return IntStream.rangeClosed(from, to).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(IntStream.of(a), IntStream.of(b)).toArray();
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
