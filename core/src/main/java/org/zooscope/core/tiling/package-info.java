/**
 * Tiling for models with context: {@link org.zooscope.core.tiling.TileGrid} (cores, halo, step padding),
 * {@link org.zooscope.core.tiling.TileExtractor} (mirror-padded model inputs), {@link org.zooscope.core.tiling.Stitcher}
 * (seamless weighted blending), {@link org.zooscope.core.tiling.ZContext} (true z-neighbours for 3/5-frame models) and
 * {@link org.zooscope.core.tiling.AugmentationVariants} (the 16 test-time variants and their inverses).
 */
package org.zooscope.core.tiling;
