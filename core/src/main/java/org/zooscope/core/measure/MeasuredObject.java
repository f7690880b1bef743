package org.zooscope.core.measure;

/**
 * One segmented object: a 3D connected component of the thresholded map, in voxel coordinates (x columns, y rows,
 * z planes; bounding box inclusive).
 */
public record MeasuredObject(int id, long voxels, int minX, int minY, int minZ, int maxX, int maxY, int maxZ,
                             double centroidX, double centroidY, double centroidZ, double meanProbability) {
}
