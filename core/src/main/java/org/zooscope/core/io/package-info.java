/**
 * Reading and writing microscopy volumes: {@link org.zooscope.core.io.VolumeReader} (PNG, TIFF/BigTIFF/ImageJ, MRC,
 * stacks of slice files) with typed {@link org.zooscope.core.io.ImageReadException}s and
 * {@link org.zooscope.core.io.ReadLimits} checked before allocation, and {@link org.zooscope.core.io.TiffWriter} for
 * float32 and 8-bit multi-page TIFF.
 */
package org.zooscope.core.io;
