/**
 * A small Zarr v2 / OME-NGFF 0.4 writer and reader (no Zarr library is available from Maven Central here):
 * {@link org.zooscope.core.zarr.OmeZarr} for multiscale images and labels,
 * {@link org.zooscope.core.zarr.ZarrArray} for chunks, and the {@link org.zooscope.core.zarr.ObjectSink} /
 * {@link org.zooscope.core.zarr.ObjectSource} store abstraction (directory, memory, or an S3 prefix).
 */
package org.zooscope.core.zarr;
