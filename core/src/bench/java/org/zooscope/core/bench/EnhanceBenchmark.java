package org.zooscope.core.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.zooscope.core.enhance.AutoEnhancer;
import org.zooscope.core.enhance.EnhanceSettings;
import org.zooscope.core.process.Processing;
import org.zooscope.core.process.ProcessingOp;
import org.zooscope.core.process.StatsScope;
import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.volume.FloatVolume;

/**
 * CDeep3M2 auto-enhancement of the whole 1024 × 1024 × 10 stack (10.5 Mpx) on 1 and 2 threads, and the volume
 * statistics a bioimage.io {@code scale_range} needs; time per whole stack.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class EnhanceBenchmark {

    @Param({"1", "2"})
    public int threads;

    private FloatVolume stack;
    private AutoEnhancer enhancer;

    @Setup
    public void setUp() {
        stack = BenchData.stack();
        enhancer = new AutoEnhancer(EnhanceSettings.cdeep3m2());
    }

    @Benchmark
    public FloatVolume enhance() {
        return enhancer.enhance(stack, threads);
    }

    @Benchmark
    public VolumeStatistics volumeStatistics() {
        return VolumeStatistics.of(stack, List.of(1.0, 99.8));
    }

    @Benchmark
    public float scaleRangeBindAndApply() {
        Processing.Bound b = Processing.of(new ProcessingOp.ScaleRange(1, 99.8, 1e-6, StatsScope.VOLUME)).bind(stack);
        float[] p = new float[stack.planeSize()];
        float s = 0;
        for (int z = 0; z < stack.depth(); z++) {
            System.arraycopy(stack.plane(z), 0, p, 0, p.length);
            b.apply(z, p, 0, 1, p.length);
            s += p[z];
        }
        return s;
    }
}
