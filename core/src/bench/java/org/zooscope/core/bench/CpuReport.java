package org.zooscope.core.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.zooscope.core.enhance.AutoEnhancer;
import org.zooscope.core.enhance.EnhanceSettings;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.tiling.Stitcher;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.volume.FloatVolume;

/**
 * Process CPU time per operation on the same 1024 × 1024 × 10 stack as the JMH benchmarks, for machines where other
 * load makes wall-clock numbers meaningless: CPU time is what the work costs, whatever else runs. Prints Mpx per
 * CPU-second (median of 7 runs after 5 warm-up runs). Run: {@code core/bench/run.sh --cpu}.
 */
public final class CpuReport {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CpuReport() {
    }

    interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        FloatVolume stack = BenchData.stack();
        double mpx = stack.sampleCount() / 1e6;
        Path dir = Files.createTempDirectory("zooscope-cpu");
        try {
            BenchData.writeTiffs(stack, dir);
            AutoEnhancer e = new AutoEnhancer(EnhanceSettings.cdeep3m2());
            report("enhance, 1 thread", mpx, () -> e.enhance(stack, 1));
            report("enhance, 2 threads", mpx, () -> e.enhance(stack, 2));
            for (String f : List.of("u8_raw.tif", "u8_deflate.tif", "u16_raw.tif", "f32_raw.tif", "f32_deflate.tif")) {
                report("read " + f, mpx, () -> VolumeReader.read(dir.resolve(f), ReadLimits.defaults()));
            }
            report("read 10 PNG slices", mpx, () -> VolumeReader.readSlices(BenchData.slices(), ReadLimits.defaults()));
            TileGrid g = TileGrid.cover(1024, 1024, 256, 32, 16);
            Stitcher s = new Stitcher(1024, 1024, g);
            float[] out = new float[1024 * 1024];
            report("tile+stitch 256/32/16, 1 frame", mpx, () -> {
                for (int z = 0; z < stack.depth(); z++) {
                    s.reset();
                    for (Tile t : g.tiles()) {
                        s.add(t, TileExtractor.extract(stack.plane(z), 1024, 1024, g, t));
                    }
                    s.result(out);
                }
                return out;
            });
        } finally {
            BenchData.delete(dir);
        }
    }

    private static void report(String name, double mpx, Op op) throws Exception {
        for (int i = 0; i < 5; i++) {
            op.run();
        }
        double[] cpu = new double[7];
        double[] wall = new double[7];
        for (int i = 0; i < cpu.length; i++) {
            long c0 = OS.getProcessCpuTime();
            long w0 = System.nanoTime();
            op.run();
            wall[i] = (System.nanoTime() - w0) / 1e9;
            cpu[i] = (OS.getProcessCpuTime() - c0) / 1e9;
        }
        java.util.Arrays.sort(cpu);
        java.util.Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%-34s cpu %7.3f s/op = %6.1f Mpx per CPU-s | wall %7.3f s/op = %6.1f Mpx/s%n",
                name, cpu[3], mpx / cpu[3], wall[3], mpx / wall[3]);
    }
}
