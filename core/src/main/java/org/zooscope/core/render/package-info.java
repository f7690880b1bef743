/**
 * Pictures for people: per-slice overlays of structure probabilities on the raw image
 * ({@link org.zooscope.core.render.OverlayRenderer}, CDeep3M's green look by default, several coloured structures,
 * adjustable opacity) and area-averaged {@link org.zooscope.core.render.Thumbnails}, written as PNG.
 */
package org.zooscope.core.render;
