package org.zooscope.gateway.upload;

import org.zooscope.core.events.UploadedVolume;

/**
 * What {@code POST /api/v1/uploads} and {@code GET /api/v1/uploads/{id}} answer: the stored volume's id, shape, sample
 * type, — when the file stated it — its voxel size, and when it expires (is deleted, unless a job that reads it is
 * kept longer).
 */
public record UploadView(String id, int width, int height, int depth, String dtype, long bytes, VoxelSizeView voxelSize,
                         java.time.Instant expiresAt) {

    /** Physical size of a voxel, as read from the file's metadata (y and z default to x when a client omits them). */
    public record VoxelSizeView(Double x, Double y, Double z, String unit) {

        /**
         * A size a client stated, checked.
         *
         * @param field where it was given ({@code voxelSize}), named in the problem
         * @throws org.zooscope.gateway.problem.ApiProblem 400 naming what is missing or wrong
         */
        public org.zooscope.core.volume.VoxelSize toVoxelSize(String field) {
            if (x == null) {
                throw org.zooscope.gateway.problem.ApiProblem.badRequest(field + ".x is missing: the pixel size along x"
                        + " (y and z default to it)");
            }
            org.zooscope.core.volume.VoxelSize vs;
            try {
                vs = new org.zooscope.core.volume.VoxelSize(x, y == null ? x : y, z == null ? x : z,
                        unit == null ? "" : unit);
            } catch (IllegalArgumentException e) {
                throw org.zooscope.gateway.problem.ApiProblem.badRequest(field + " is not usable: " + e.getMessage());
            }
            if (!vs.isKnown()) {
                throw org.zooscope.gateway.problem.ApiProblem.badRequest(field + " needs a length unit (nm, µm, Å, ...),"
                        + " not '" + unit + "'");
            }
            return vs;
        }
    }

    static UploadView of(UploadedVolume v, java.time.Instant expiresAt) {
        VoxelSizeView vs = v.voxelSizeX() == null || v.voxelUnit() == null || "pixel".equals(v.voxelUnit()) ? null
                : new VoxelSizeView(v.voxelSizeX(), v.voxelSizeY() == null ? v.voxelSizeX() : v.voxelSizeY(),
                v.voxelSizeZ() == null ? v.voxelSizeX() : v.voxelSizeZ(), v.voxelUnit());
        return new UploadView(v.uploadId(), v.width(), v.height(), v.depth(), v.dataType(), v.bytes(), vs, expiresAt);
    }
}
