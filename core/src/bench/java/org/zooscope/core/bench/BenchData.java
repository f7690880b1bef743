package org.zooscope.core.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;

/**
 * The benchmark input: the 10 real SBEM slices {@code cdeep3m-mito/training/images/images.010..019.png} (1024 × 1024,
 * 8-bit) from the shared data folder (system property {@code zooscope.bench.data}, default {@code ../shared/data}
 * relative to the repository root), as one 1024 × 1024 × 10 stack, plus TIFF copies written into a temp folder.
 */
final class BenchData {

    static final int SLICES = 10;

    private BenchData() {
    }

    static List<Path> slices() {
        Path dir = Path.of(System.getProperty("zooscope.bench.data", "../shared/data"))
                .resolve("cdeep3m-mito/training/images");
        List<Path> files = new ArrayList<>();
        for (int z = 10; z < 10 + SLICES; z++) {
            Path p = dir.resolve(String.format("images.%03d.png", z));
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("benchmark data not found: " + p.toAbsolutePath()
                        + " (set -Dzooscope.bench.data=<folder holding cdeep3m-mito>)");
            }
            files.add(p);
        }
        return files;
    }

    static FloatVolume stack() {
        try {
            return (FloatVolume) VolumeReader.readSlices(slices(), ReadLimits.defaults());
        } catch (ImageReadException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 12-bit data in 16 bits with an offset, from the 8-bit stack. */
    static FloatVolume as16bit(FloatVolume v) {
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < v.depth(); z++) {
            float[] p = v.plane(z).clone();
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] * 16 + 1000;
            }
            planes.add(p);
        }
        return new FloatVolume(v.width(), v.height(), planes, DataType.UINT16, v.voxelSize());
    }

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    static Path write(Path dir, String name, Writer w) {
        Path p = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(p)) {
            w.write(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static void writeUint16(Volume v, Path p) {
        // uncompressed 16-bit TIFF through our reader's raw path: write as float then convert is not possible, so
        // write a minimal little-endian uint16 TIFF here (one strip per page)
        try (OutputStream o = Files.newOutputStream(p)) {
            Tiff16.write(v, o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeTiffs(FloatVolume v8, Path dir) {
        write(dir, "u8_raw.tif", o -> TiffWriter.writeUint8(v8, o, TiffWriter.Compression.NONE));
        write(dir, "u8_deflate.tif", o -> TiffWriter.writeUint8(v8, o, TiffWriter.Compression.DEFLATE));
        write(dir, "f32_raw.tif", o -> TiffWriter.writeFloat32(v8, o, TiffWriter.Compression.NONE));
        write(dir, "f32_deflate.tif", o -> TiffWriter.writeFloat32(v8, o, TiffWriter.Compression.DEFLATE));
        writeUint16(as16bit(v8), dir.resolve("u16_raw.tif"));
    }
}
