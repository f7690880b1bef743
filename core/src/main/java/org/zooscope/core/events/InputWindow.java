package org.zooscope.core.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A job over a hosted dataset reads a box of it ({@code box*}, dataset coordinates) that holds its region
 * ({@code roi*}) with the context its models need around it: a halo in x and y and neighbouring slices in z, clamped
 * to the volume. The box's slices are the job's input planes (box slice {@code i} is dataset slice {@code boxZ + i});
 * tiles are cut on the region's grid and read their halo from the box, so the region shows what a run over the whole
 * volume gives there, mirrored only at the volume's own edges.
 *
 * <p>A job over some slices of an upload has a window too, with no {@code datasetId}: its box is the whole plane and
 * the neighbouring slices its models take as z-frames; it reads the upload's own planes.
 *
 * @param datasetId the hosted dataset it reads, or null for an upload's slices
 * @param fullRun the region is the whole volume and the result becomes a layer of the dataset
 */
public record InputWindow(String datasetId, int boxX, int boxY, int boxZ, int boxWidth, int boxHeight, int boxDepth,
                          int roiX, int roiY, int roiZ, boolean fullRun) {

    /** The box around {@code roi} with {@code halo} voxels in x and y and {@code zContext} slices in z, clamped. */
    public static InputWindow around(String datasetId, Region roi, int halo, int zContext, int width, int height,
                                     int depth, boolean fullRun) {
        int x0 = Math.max(0, roi.x() - halo);
        int y0 = Math.max(0, roi.y() - halo);
        int z0 = Math.max(0, roi.z() - zContext);
        int x1 = Math.min(width, roi.x() + roi.width() + halo);
        int y1 = Math.min(height, roi.y() + roi.height() + halo);
        int z1 = Math.min(depth, roi.z() + roi.depth() + zContext);
        return new InputWindow(datasetId, x0, y0, z0, x1 - x0, y1 - y0, z1 - z0, roi.x(), roi.y(), roi.z(), fullRun);
    }

    /** Slices {@code roi.z() .. roi.z() + roi.depth() - 1} of a {@code width × height × depth} upload, with context. */
    public static InputWindow ofUploadSlices(Region roi, int zContext, int width, int height, int depth) {
        return around(null, new Region(0, 0, roi.z(), width, height, roi.depth()), 0, zContext, width, height, depth,
                false);
    }

    /** Whether it reads a hosted dataset (else some slices of an upload). */
    @JsonIgnore
    public boolean isDataset() {
        return datasetId != null;
    }

    /** Where the region starts inside the box. */
    public int offsetX() {
        return roiX - boxX;
    }

    public int offsetY() {
        return roiY - boxY;
    }

    /** The box slice of the region's slice {@code z}. */
    public int boxSlice(int z) {
        return roiZ - boxZ + z;
    }
}
