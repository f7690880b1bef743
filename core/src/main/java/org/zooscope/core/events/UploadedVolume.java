package org.zooscope.core.events;

import java.time.Instant;
import java.util.List;

/**
 * An upload as stored in S3 ({@code uploads/<id>/volume.json}): the volume's shape and where each of its planes lies,
 * written once by the gateway and read by the planner. The pixels are stored once, in their own sample type: plane
 * {@code z} is {@code width × height} samples in {@code planeEncoding} at byte {@code planeOffsets[z]} of the object
 * {@code planeKeys[z]} — a page of an uploaded file, read where it lies, or a plane decoded from a file that cannot be
 * (compressed, PNG). Read them only through {@link org.zooscope.core.store.UploadPlanes}.
 *
 * @param dataType      the source's sample type (uint8, uint16, int32, float32)
 * @param min,max       the value range over the whole volume
 * @param planeOffsets  each plane's first byte in its object; null: all 0 (uploads stored before this field)
 * @param planeEncoding the planes' samples, e.g. {@code uint16le}; null: {@code float32le} (uploads stored before)
 */
public record UploadedVolume(String uploadId, String ownerHash, int width, int height, int depth, String dataType,
                             double min, double max, Double voxelSizeX, Double voxelSizeY, Double voxelSizeZ,
                             String voxelUnit, List<String> planeKeys, List<String> fileNames, long bytes,
                             Instant createdAt, List<Long> planeOffsets, String planeEncoding) {

    /** Float32 planes, one object each (how uploads were stored before; what tests and benchmarks write). */
    public UploadedVolume(String uploadId, String ownerHash, int width, int height, int depth, String dataType,
                          double min, double max, Double voxelSizeX, Double voxelSizeY, Double voxelSizeZ,
                          String voxelUnit, List<String> planeKeys, List<String> fileNames, long bytes,
                          Instant createdAt) {
        this(uploadId, ownerHash, width, height, depth, dataType, min, max, voxelSizeX, voxelSizeY, voxelSizeZ,
                voxelUnit, planeKeys, fileNames, bytes, createdAt, null, null);
    }

    /** Where plane {@code z} lies. */
    public StoredPlane plane(int z) {
        return new StoredPlane(planeKeys.get(z), planeOffsets == null ? 0 : planeOffsets.get(z),
                planeEncoding == null ? "float32le" : planeEncoding);
    }

    /**
     * Slices {@code z .. z + count - 1} of this upload, as a volume of their own (the same stored planes): the shape of a
     * job's result when it runs on some slices of an upload.
     */
    public UploadedVolume slices(int z, int count) {
        if (z < 0 || count < 1 || z + count > depth) {
            throw new IllegalArgumentException("slices " + z + ".." + (z + count - 1) + " are not within the upload's "
                    + depth + " slices (0.." + (depth - 1) + ")");
        }
        return new UploadedVolume(uploadId, ownerHash, width, height, count, dataType, min, max, voxelSizeX, voxelSizeY,
                voxelSizeZ, voxelUnit, planeKeys.subList(z, z + count), fileNames, bytes, createdAt,
                planeOffsets == null ? null : planeOffsets.subList(z, z + count), planeEncoding);
    }

    /** The same upload with another voxel size (the user's correction). */
    public UploadedVolume withVoxelSize(double x, double y, double z, String unit) {
        return new UploadedVolume(uploadId, ownerHash, width, height, depth, dataType, min, max, x, y, z, unit,
                planeKeys, fileNames, bytes, createdAt, planeOffsets, planeEncoding);
    }

    /** The stated voxel size (z defaults to x), or unknown when none was stated or it makes no sense. */
    public org.zooscope.core.volume.VoxelSize voxelSize() {
        if (voxelSizeX == null || voxelUnit == null) {
            return org.zooscope.core.volume.VoxelSize.unknown();
        }
        try {
            return new org.zooscope.core.volume.VoxelSize(voxelSizeX, voxelSizeY == null ? voxelSizeX : voxelSizeY,
                    voxelSizeZ == null ? voxelSizeX : voxelSizeZ, voxelUnit);
        } catch (IllegalArgumentException e) {
            return org.zooscope.core.volume.VoxelSize.unknown();
        }
    }
}
