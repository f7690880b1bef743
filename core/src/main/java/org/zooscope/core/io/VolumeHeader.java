package org.zooscope.core.io;

import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;

/**
 * What a file declares about its volume, read without decoding pixels.
 *
 * @param format    container format
 * @param width     plane width in pixels
 * @param height    plane height in pixels
 * @param depth     number of planes
 * @param dataType  sample type
 * @param voxelSize physical voxel size, or {@link VoxelSize#unknown()}
 */
public record VolumeHeader(ImageFormat format, int width, int height, int depth, DataType dataType,
        VoxelSize voxelSize) {

    /** Bytes the volume takes once decoded to float samples. */
    public long decodedBytes() {
        return ReadLimits.decodedBytes(width, height, depth);
    }
}
