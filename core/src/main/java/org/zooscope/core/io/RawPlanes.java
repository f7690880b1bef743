package org.zooscope.core.io;

import java.util.List;

/**
 * A stack whose every plane is stored in its file uncompressed, as one contiguous run of samples in one encoding
 * (plain TIFF pages, MRC): such planes can be read where they lie, with no decoded copy.
 *
 * @param planes plane {@code z}'s file (index into the stack's files) and first byte, in z order
 */
public record RawPlanes(PlaneEncoding encoding, List<Location> planes) {

    /** One plane: which file of the stack, from which byte. */
    public record Location(int file, long offset) {
    }
}
