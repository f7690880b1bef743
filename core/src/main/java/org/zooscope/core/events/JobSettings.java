package org.zooscope.core.events;

/**
 * What the user chose for a job.
 *
 * @param enhance      CDeep3M2's automatic enhancement per slice before inference
 * @param augmentation test-time augmentation level
 * @param threshold    probability at or above which a pixel counts as foreground in the segmentation, 0..1
 * @param deadlineSeconds the most a job may take once it starts (null: derived from its expected runtime)
 * @param rescale      resample the input to each model's pixel size when they differ (default on; null reads as on,
 *                     as in requests made before the setting existed)
 * @param voxelSize    the input's voxel size as the request states it, over the upload's own; null: the upload's
 */
public record JobSettings(boolean enhance, Augmentation augmentation, double threshold, Integer deadlineSeconds,
                          Boolean rescale, org.zooscope.core.volume.VoxelSize voxelSize) {
    public static final double DEFAULT_THRESHOLD = 0.5;

    public JobSettings {
        if (augmentation == null) {
            augmentation = Augmentation.NONE;
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 but was " + threshold);
        }
        if (deadlineSeconds != null && (deadlineSeconds < 1 || deadlineSeconds > 7 * 24 * 3600)) {
            throw new IllegalArgumentException("deadlineSeconds must be between 1 and 604800 but was " + deadlineSeconds);
        }
        rescale = rescale == null || rescale;
    }

    public JobSettings(boolean enhance, Augmentation augmentation, double threshold, Integer deadlineSeconds,
                       Boolean rescale) {
        this(enhance, augmentation, threshold, deadlineSeconds, rescale, null);
    }

    public JobSettings(boolean enhance, Augmentation augmentation, double threshold, Integer deadlineSeconds) {
        this(enhance, augmentation, threshold, deadlineSeconds, true, null);
    }

    public JobSettings(boolean enhance, Augmentation augmentation, double threshold) {
        this(enhance, augmentation, threshold, null, true, null);
    }
}
