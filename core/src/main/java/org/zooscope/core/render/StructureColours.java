package org.zooscope.core.render;

import java.util.Locale;

/**
 * The colour of each structure of a job, by its position among the job's structures (in the order its models were
 * chosen): CDeep3M's green first, then colours that stay apart from it and from each other on grey EM. One palette
 * for the stored overlays and the viewer, so a structure has the same colour everywhere.
 */
public final class StructureColours {
    private static final int[] PALETTE = {0x00FF00, 0xFF00FF, 0x00BFFF, 0xFFA500, 0xFFFF00, 0xFF3030, 0x8A2BE2, 0xFFFFFF};

    private StructureColours() {
    }

    /** 0xRRGGBB of the structure at {@code index}. */
    public static int rgb(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** CSS form, e.g. {@code #00ff00}. */
    public static String css(int index) {
        return String.format(Locale.ROOT, "#%06x", rgb(index));
    }
}
