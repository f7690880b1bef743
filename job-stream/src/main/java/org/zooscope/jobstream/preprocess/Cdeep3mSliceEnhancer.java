package org.zooscope.jobstream.preprocess;

import java.util.Locale;
import org.zooscope.core.enhance.AutoEnhancer;
import org.zooscope.core.enhance.EnhanceSettings;
import org.zooscope.core.volume.DataType;

/**
 * CDeep3M2's automatic enhancement of one slice ({@link AutoEnhancer}: clip to the 1st/99th percentile, noise sigma
 * by wavelet MAD, total-variation denoising with weight sigma/2, stretch the 2nd/98th percentile) to 0..255.
 * One work buffer per stream thread.
 */
public final class Cdeep3mSliceEnhancer implements SliceEnhancer {
    private final AutoEnhancer enhancer;
    private final ThreadLocal<AutoEnhancer.Workspace> workspaces = ThreadLocal.withInitial(AutoEnhancer.Workspace::new);

    public Cdeep3mSliceEnhancer(EnhanceSettings settings) {
        if (settings.output() != EnhanceSettings.Output.UINT8) {
            throw new IllegalArgumentException("slice enhancement for models writes the 0..255 scale");
        }
        this.enhancer = new AutoEnhancer(settings);
    }

    public Cdeep3mSliceEnhancer() {
        this(EnhanceSettings.cdeep3m2());
    }

    @Override
    public float[] enhance(float[] plane, int width, int height, String sourceType) {
        float[] out = new float[width * height];
        DataType type = DataType.valueOf(sourceType.toUpperCase(Locale.ROOT));
        enhancer.enhancePlane(plane, width, height, type, out, workspaces.get());
        return out;
    }

    @Override
    public float[] enhance(float[] plane, int width, int height, String sourceType,
                           org.zooscope.core.enhance.EnhanceParameters fixed) {
        float[] out = new float[width * height];
        DataType type = DataType.valueOf(sourceType.toUpperCase(Locale.ROOT));
        enhancer.enhancePlane(plane, width, height, type, out, workspaces.get(), fixed);
        return out;
    }
}
