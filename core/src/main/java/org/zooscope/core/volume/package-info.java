/**
 * The volume vocabulary: {@link org.zooscope.core.volume.Volume} (a z-stack of single-channel planes exposed as
 * {@code float}), its in-memory implementation {@link org.zooscope.core.volume.FloatVolume}, sample
 * {@link org.zooscope.core.volume.DataType}s and physical {@link org.zooscope.core.volume.VoxelSize}.
 * Layout everywhere: row-major, x fastest; plane index z.
 */
package org.zooscope.core.volume;
