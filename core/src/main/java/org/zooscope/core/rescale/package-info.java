/**
 * Running a model at the pixel size it was trained at: {@link org.zooscope.core.rescale.Rescale} decides whether an
 * input is resampled for a model (and says so in a note), {@link org.zooscope.core.rescale.PlaneSize} is the plane a
 * model then runs on, and {@link org.zooscope.core.rescale.Resampler} resamples planes there and back (anti-aliased).
 */
package org.zooscope.core.rescale;
