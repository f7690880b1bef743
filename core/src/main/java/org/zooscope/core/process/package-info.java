/**
 * bioimage.io (model spec 0.5) pre- and postprocessing: {@link org.zooscope.core.process.ProcessingOp} steps,
 * chained and bound to {@link org.zooscope.core.process.VolumeStatistics} computed once per volume (or per plane, as a
 * model declares) by {@link org.zooscope.core.process.Processing}; never per tile.
 */
package org.zooscope.core.process;
