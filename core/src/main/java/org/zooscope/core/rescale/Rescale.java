package org.zooscope.core.rescale;

import java.util.Locale;
import java.util.Optional;
import org.zooscope.core.volume.VoxelSize;

/**
 * Whether a model runs on the input as it is or resampled in x and y to the pixel size the model was trained at, and
 * the note that tells the user what was done (or why not). Decided by {@link #decide}: the input is resampled when both
 * pixel sizes are known and differ by more than {@link #TOLERANCE}, unless the user switched it off or the resampled
 * plane would be unreasonably small or large. x and y are resampled alike, by the ratio of the x sizes (pixels are
 * taken as square, as they are in EM); z is never resampled (the models here take single slices or z-frames).
 *
 * @param factor the input's pixel size over the model's: the plane is resampled by it (2 = twice as many pixels each
 *               way); 1 when not resampled
 * @param note   what the user should know, or null when there is nothing to say (the sizes match)
 */
public record Rescale(double factor, String note) {

    /** Pixel sizes within 10 % of each other are taken as equal: a model tolerates that much. */
    public static final double TOLERANCE = 0.10;
    /** Factors beyond these are not applied: the model would see too little of the image, or the plane grow too large. */
    public static final double MIN_FACTOR = 0.125;
    public static final double MAX_FACTOR = 8;
    /** The largest plane a model is run on after resampling (16 Mpx, 64 MiB as float32). */
    public static final long MAX_PIXELS = 4096L * 4096L;

    public Rescale {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("a rescale factor must be finite and > 0 but was " + factor);
        }
    }

    /** Run on the input as it is, saying nothing. */
    public static Rescale none() {
        return new Rescale(1, null);
    }

    public boolean resamples() {
        return factor != 1;
    }

    /** The plane the model runs on for an input plane of {@code width × height}. */
    public PlaneSize plane(int width, int height) {
        return resamples() ? PlaneSize.scaled(width, height, factor) : new PlaneSize(width, height);
    }

    /**
     * @param input   the input's voxel size (unknown when the upload did not state one)
     * @param model   the pixel size the model declares, empty when it declares none
     * @param enabled the job's {@code rescale} setting
     * @param modelId for the note
     * @param width,height the input plane, to keep the resampled plane within bounds
     */
    public static Rescale decide(VoxelSize input, Optional<VoxelSize> model, boolean enabled, String modelId,
                                 int width, int height) {
        if (model.isEmpty() || !model.get().isKnown()) {
            return none(); // nothing to compare with: most ecosystem models state no pixel size
        }
        VoxelSize m = model.get().toNanometres();
        String trained = modelId + " was trained at " + nm(m.x());
        if (input == null || !input.isKnown()) {
            return new Rescale(1, "input not rescaled for " + modelId + ": the image's pixel size is unknown ("
                    + trained + "); state the upload's voxel size to have it rescaled");
        }
        VoxelSize in = input.toNanometres();
        double factor = in.x() / m.x();
        if (Math.abs(factor - 1) <= TOLERANCE) {
            return none();
        }
        String sizes = nm(in.x()) + " → " + nm(m.x());
        if (!enabled) {
            return notRescaled(modelId, "rescaling switched off", in, trained);
        }
        PlaneSize scaled = PlaneSize.scaled(width, height, factor);
        if (factor < MIN_FACTOR || factor > MAX_FACTOR || scaled.pixels() > MAX_PIXELS) {
            return new Rescale(1, String.format(Locale.ROOT, "input not rescaled for %s: ×%.2f (%s) would make the "
                    + "%d x %d image %d x %d, beyond what is run (factors %.3f..%.0f, at most %d pixels); %s",
                    modelId, factor, sizes, width, height, scaled.width(), scaled.height(), MIN_FACTOR, MAX_FACTOR,
                    MAX_PIXELS, "results may be poor"));
        }
        return new Rescale(factor, String.format(Locale.ROOT, "input rescaled ×%.2f (%s per pixel, %d x %d → %d x %d) "
                + "to match %s; results are on the input's grid", factor, sizes, width, height, scaled.width(),
                scaled.height(), modelId));
    }

    /**
     * For an input that is never resampled (a hosted dataset's region runs on the dataset's own grid, as its full run
     * does): nothing when the sizes match, else a note saying that it was not rescaled and why.
     */
    public static Rescale notApplied(VoxelSize input, Optional<VoxelSize> model, String modelId, String why) {
        Rescale r = decide(input, model, true, modelId, 1, 1);
        if (!r.resamples()) {
            return r;
        }
        VoxelSize m = model.orElseThrow().toNanometres();
        return notRescaled(modelId, why, input.toNanometres(), modelId + " was trained at " + nm(m.x()));
    }

    private static Rescale notRescaled(String modelId, String why, VoxelSize in, String trained) {
        return new Rescale(1, "input not rescaled for " + modelId + " (" + why + "): the image is at " + nm(in.x())
                + " per pixel, " + trained);
    }

    private static String nm(double nanometres) {
        return new java.math.BigDecimal(nanometres).round(new java.math.MathContext(3)).stripTrailingZeros()
                .toPlainString() + " nm";
    }
}
