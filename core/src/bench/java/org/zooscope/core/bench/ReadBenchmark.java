package org.zooscope.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.Volume;

/** Reading the 1024 × 1024 × 10 stack (10.5 Mpx) from each container variant; time per whole stack. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class ReadBenchmark {

    @Param({"u8_raw.tif", "u8_deflate.tif", "u16_raw.tif", "f32_raw.tif", "f32_deflate.tif", "png_slices"})
    public String input;

    private Path dir;
    private List<Path> slices;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("zooscope-bench");
        BenchData.writeTiffs(BenchData.stack(), dir);
        slices = BenchData.slices();
    }

    @TearDown
    public void tearDown() {
        BenchData.delete(dir);
    }

    @Benchmark
    public Volume read() throws ImageReadException {
        if (input.equals("png_slices")) {
            return VolumeReader.readSlices(slices, ReadLimits.defaults());
        }
        return VolumeReader.read(dir.resolve(input), ReadLimits.defaults());
    }
}
