package org.zooscope.core.events;

import java.time.Instant;
import java.util.List;

/**
 * An upload as stored in S3 ({@code uploads/<id>/volume.json}): the decoded volume's shape and the keys of its
 * planes (raw float32, one per z), written once by the gateway and read by the planner.
 *
 * @param dataType the source's sample type (uint8, uint16, int32, float32)
 * @param min,max  the value range over the whole volume
 */
public record UploadedVolume(String uploadId, String ownerHash, int width, int height, int depth, String dataType,
                             double min, double max, Double voxelSizeX, Double voxelSizeY, Double voxelSizeZ,
                             String voxelUnit, List<String> planeKeys, List<String> fileNames, long bytes,
                             Instant createdAt) {

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
