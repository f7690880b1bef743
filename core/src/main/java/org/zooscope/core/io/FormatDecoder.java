package org.zooscope.core.io;

import java.io.IOException;
import java.util.List;

/** One opened file of a known format: header first, pixels on demand. Package-private; not thread-safe. */
interface FormatDecoder {

    /** What the file declares; no pixel data read. */
    VolumeHeader header();

    /** Checks that the data the header declares lies inside the file. */
    void checkComplete() throws ImageReadException;

    /**
     * Decodes every plane in z order into new arrays of {@code width*height} samples.
     *
     * @param paletteIndices for palette (indexed-colour) images: true gives the palette indices (label images),
     *                       false the grey level of each palette colour
     */
    List<float[]> decodeAll(boolean paletteIndices) throws ImageReadException, IOException;
}
