package org.zooscope.core.enhance;

import java.util.Arrays;
import java.util.List;

/**
 * The parameters {@link AutoEnhancer} otherwise measures per slice, fixed for a whole volume: the clip range (in
 * {@code img_as_float} units), the noise σ and the final stretch range. A hosted dataset's are the medians over a sample
 * of its slices, measured once at ingest.
 */
public record EnhanceParameters(double clipLow, double clipHigh, double sigma, double stretchLow, double stretchHigh) {

    public EnhanceParameters {
        if (!Double.isFinite(clipLow) || !Double.isFinite(clipHigh) || !Double.isFinite(stretchLow)
                || !Double.isFinite(stretchHigh)) {
            throw new IllegalArgumentException("enhancement ranges must be finite");
        }
        sigma = Double.isFinite(sigma) ? sigma : 0;
    }

    /** The median of each parameter over slices' own measurements. */
    public static EnhanceParameters medianOf(List<AutoEnhancer.SliceReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("no slice measured");
        }
        return new EnhanceParameters(median(reports, AutoEnhancer.SliceReport::clipLow),
                median(reports, AutoEnhancer.SliceReport::clipHigh), median(reports, AutoEnhancer.SliceReport::sigma),
                median(reports, AutoEnhancer.SliceReport::stretchLow), median(reports, AutoEnhancer.SliceReport::stretchHigh));
    }

    private static double median(List<AutoEnhancer.SliceReport> rs, java.util.function.ToDoubleFunction<AutoEnhancer.SliceReport> f) {
        double[] v = rs.stream().mapToDouble(f).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public String toString() {
        return "EnhanceParameters" + Arrays.toString(new double[] {clipLow, clipHigh, sigma, stretchLow, stretchHigh});
    }
}
