package org.zooscope.core.events;

/**
 * What the user chose for a job.
 *
 * @param enhance      CDeep3M2's automatic enhancement per slice before inference
 * @param augmentation test-time augmentation level
 * @param threshold    probability at or above which a pixel counts as foreground in the segmentation, 0..1
 */
public record JobSettings(boolean enhance, Augmentation augmentation, double threshold) {
    public static final double DEFAULT_THRESHOLD = 0.5;

    public JobSettings {
        if (augmentation == null) {
            augmentation = Augmentation.NONE;
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 but was " + threshold);
        }
    }
}
