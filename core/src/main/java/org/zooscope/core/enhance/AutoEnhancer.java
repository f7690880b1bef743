package org.zooscope.core.enhance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;

/**
 * CDeep3M2's automatic per-slice enhancement ({@code enhance_stack.py}), reproduced with scikit-image 0.19 semantics:
 * <ol>
 *   <li>{@code img_as_float}: integer samples divided by the type's maximum (255, 65535, 2³¹−1); floats as they are;</li>
 *   <li>clip to the [P1, P99] percentiles and rescale to [0, 1] ({@code rescale_intensity});</li>
 *   <li>estimate the noise σ ({@link NoiseSigma}, skimage {@code estimate_sigma});</li>
 *   <li>TV-denoise with weight σ/2 ({@link TvDenoise}, skimage {@code denoise_tv_chambolle});</li>
 *   <li>clip to [P2, P98] and rescale to [0, 1];</li>
 *   <li>optionally {@code img_as_ubyte}: {@code rint(v · 255)}.</li>
 * </ol>
 * Not copied: RGB input reduced to channel 0 (the reader gives luma), and a zero σ (a perfectly smooth slice), for
 * which skimage divides by zero and returns NaN: here the slice is left undenoised. A slice whose two clip
 * percentiles are equal becomes {@code clamp(value, 0, 1)}, as in skimage.
 *
 * <p>Slices are independent (statistics are per slice, as in CDeep3M2). Immutable; {@link #enhancePlane} with a
 * per-thread {@link Workspace} is safe to run on several threads; {@link #enhance(Volume, int)} does that itself.
 */
public final class AutoEnhancer {

    private final EnhanceSettings settings;

    public AutoEnhancer(EnhanceSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public EnhanceSettings settings() {
        return settings;
    }

    /** Per-thread work buffers, grown to the largest plane seen. Not thread-safe. */
    public static final class Workspace {
        private final TvDenoise tv = new TvDenoise();
        private final NoiseSigma.Buffers sigma = new NoiseSigma.Buffers();
        private float[] a = new float[0];
        private float[] scratch = new float[0];

        void ensure(int n) {
            if (a.length < n) {
                a = new float[n];
                scratch = new float[n];
            }
        }
    }

    /** What one slice's enhancement measured (useful for logs and tests). */
    public record SliceReport(double clipLow, double clipHigh, double sigma, double weight, int tvIterations,
            double stretchLow, double stretchHigh) {
    }

    /** Output data type for these settings. */
    public DataType outputType() {
        return settings.output() == EnhanceSettings.Output.UINT8 ? DataType.UINT8 : DataType.FLOAT32;
    }

    /**
     * Enhances one plane. {@code in} and {@code dst} may be the same array.
     *
     * @param type type of the source samples (for {@code img_as_float})
     */
    public SliceReport enhancePlane(float[] in, int w, int h, DataType type, float[] dst, Workspace ws) {
        int n = w * h;
        ws.ensure(n);
        float[] a = ws.a;
        double scale = floatScale(type);
        for (int i = 0; i < n; i++) {
            a[i] = (float) (in[i] * scale);
        }
        if (!settings.enabled()) {
            double lo = type == DataType.FLOAT32 ? 0 : type.minValue() * scale;
            double hi = type == DataType.FLOAT32 ? 1 : type.maxValue() * scale;
            rescale(a, n, Math.max(lo, 0), hi);
            finish(a, n, dst);
            return new SliceReport(lo, hi, Double.NaN, 0, 0, lo, hi);
        }
        double[] clip = Percentiles.of(a, n, new double[] {settings.clipLowPercentile(),
            settings.clipHighPercentile()}, ws.scratch);
        rescale(a, n, clip[0], clip[1]);
        double sigma = Double.NaN;
        double weight = 0;
        int iters = 0;
        if (settings.denoise()) {
            sigma = NoiseSigma.estimate(a, w, h, ws.sigma);
            weight = sigma * settings.denoiseWeightFactor();
            iters = ws.tv.denoise(a, w, h, weight, settings.tvEps(), settings.tvMaxIter(), a);
        }
        double cut = settings.stretchPercent();
        double[] stretch = Percentiles.of(a, n, new double[] {cut, 100 - cut}, ws.scratch);
        rescale(a, n, stretch[0], stretch[1]);
        finish(a, n, dst);
        return new SliceReport(clip[0], clip[1], sigma, weight, iters, stretch[0], stretch[1]);
    }

    /**
     * Enhances one plane with parameters fixed beforehand ({@link EnhanceParameters}, e.g. a hosted dataset's, measured
     * once over the whole volume) instead of the plane's own percentiles and noise: every region of a volume then gets
     * the same mapping, so a region shows what the whole run gives there.
     */
    public void enhancePlane(float[] in, int w, int h, DataType type, float[] dst, Workspace ws, EnhanceParameters fixed) {
        int n = w * h;
        ws.ensure(n);
        float[] a = ws.a;
        double scale = floatScale(type);
        for (int i = 0; i < n; i++) {
            a[i] = (float) (in[i] * scale);
        }
        rescale(a, n, fixed.clipLow(), fixed.clipHigh());
        if (settings.denoise() && fixed.sigma() > 0) {
            ws.tv.denoise(a, w, h, fixed.sigma() * settings.denoiseWeightFactor(), settings.tvEps(), settings.tvMaxIter(), a);
        }
        rescale(a, n, fixed.stretchLow(), fixed.stretchHigh());
        finish(a, n, dst);
    }

    /** Enhances every plane into a new volume, using up to {@code threads} threads (1 = the calling thread). */
    public FloatVolume enhance(Volume v, int threads) {
        int w = v.width();
        int h = v.height();
        float[][] out = new float[v.depth()][];
        if (threads <= 1 || v.depth() == 1) {
            Workspace ws = new Workspace();
            for (int z = 0; z < v.depth(); z++) {
                out[z] = new float[w * h];
                v.copyPlane(z, out[z]);
                enhancePlane(out[z], w, h, v.dataType(), out[z], ws);
            }
        } else {
            int t = Math.min(threads, v.depth());
            ExecutorService pool = Executors.newFixedThreadPool(t, r -> {
                Thread th = new Thread(r, "enhance");
                th.setDaemon(true);
                return th;
            });
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int k = 0; k < t; k++) {
                    int first = k;
                    fs.add(pool.submit(() -> {
                        Workspace ws = new Workspace();
                        for (int z = first; z < v.depth(); z += t) {
                            float[] p = new float[w * h];
                            v.copyPlane(z, p);
                            enhancePlane(p, w, h, v.dataType(), p, ws);
                            out[z] = p;
                        }
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while enhancing", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("enhancement failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new FloatVolume(w, h, List.of(out), outputType(), v.voxelSize());
    }

    /** skimage {@code img_as_float} factor for a source type. */
    static double floatScale(DataType type) {
        return switch (type) {
            case UINT8 -> 1.0 / 255;
            case UINT16 -> 1.0 / 65535;
            case INT32 -> 1.0 / Integer.MAX_VALUE;
            case FLOAT32 -> 1.0;
        };
    }

    /** skimage {@code rescale_intensity(in_range=(lo, hi), out_range=(0, 1))}. */
    static void rescale(float[] a, int n, double lo, double hi) {
        if (lo == hi) {
            for (int i = 0; i < n; i++) {
                double v = Math.min(Math.max(a[i], lo), hi);
                a[i] = (float) Math.min(Math.max(v, 0), 1);
            }
            return;
        }
        double range = hi - lo;
        for (int i = 0; i < n; i++) {
            double v = a[i];
            v = v < lo ? lo : v > hi ? hi : v;
            a[i] = (float) ((v - lo) / range);
        }
    }

    private void finish(float[] a, int n, float[] dst) {
        if (settings.output() == EnhanceSettings.Output.UINT8) {
            for (int i = 0; i < n; i++) {
                double v = Math.rint(a[i] * 255.0);
                dst[i] = (float) (v < 0 ? 0 : v > 255 ? 255 : v);
            }
        } else {
            System.arraycopy(a, 0, dst, 0, n);
        }
    }
}
