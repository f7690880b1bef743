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
    default List<float[]> decodeAll(boolean paletteIndices) throws ImageReadException, IOException {
        List<float[]> planes = new java.util.ArrayList<>(header().depth());
        decodeEach((z, plane) -> planes.add(plane.clone()), paletteIndices);
        return planes;
    }

    /**
     * Decodes plane by plane in z order, handing each to {@code sink}; the array may be reused for the next plane,
     * so memory stays bounded by one plane (plus what the format's codec needs).
     */
    void decodeEach(PlaneSink sink, boolean paletteIndices) throws ImageReadException, IOException;

    /**
     * Where each plane's samples lie in the file, when every plane is stored uncompressed and contiguous in one
     * encoding exactly as {@link #decodeEach} reads it (no palette, no colour); empty otherwise.
     */
    default java.util.Optional<RawPlanes> rawPlanes() {
        return java.util.Optional.empty();
    }
}
