package org.zooscope.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.zooscope.core.io.ImageReadException.Kind;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;

/**
 * Reads PNG, TIFF (single/multi-page, strips or tiles, uncompressed/LZW/Deflate/PackBits, BigTIFF, ImageJ stacks,
 * OME-TIFF single channel) and MRC into a {@link FloatVolume}. The format is recognised from the content
 * ({@link ImageFormat#sniff}), never from the file name.
 *
 * <p>Guard rails, in this order, each an {@link ImageReadException} naming the file (its name only, never the
 * directory) and, where it applies, the 0-based slice and the limit: empty file; unknown format; corrupt or truncated
 * header; declared size against {@link ReadLimits} ({@code minSide}, {@code maxDepth}, {@code maxBytes} of decoded
 * floats) <em>before any pixel buffer is allocated</em>; pages or slice files of different sizes or sample types;
 * data past the end of the file; and, for float input, NaN or ±Infinity samples.
 *
 * <p>Sample types: 1–8-bit unsigned → {@link DataType#UINT8}, 9–16-bit unsigned → {@link DataType#UINT16},
 * signed 8/16/32-bit and unsigned 32-bit → {@link DataType#INT32}, 16/32/64-bit float → {@link DataType#FLOAT32}.
 * Values are kept as stored (no scaling). Multi-channel stacks are refused; RGB is reduced to luma.
 *
 * <p>Stateless and thread-safe; every call opens and closes its own files.
 */
public final class VolumeReader {

    private VolumeReader() {
    }

    /**
     * Reads a whole volume from one file.
     *
     * @throws ImageReadException   if the file is refused (see class comment)
     * @throws UncheckedIOException if the file cannot be read for a reason that is not the file's content
     */
    public static Volume read(Path file, ReadLimits limits) throws ImageReadException {
        return read(file, limits, false);
    }

    /**
     * Reads a label image: like {@link #read}, but palette (indexed-colour) PNG and TIFF files give their palette
     * <em>indices</em> instead of grey levels (e.g. the CDeep3M label PNGs, where index 1 is mitochondrion whatever
     * colour the palette gives it). Other images read exactly as with {@link #read}.
     */
    public static Volume readLabels(Path file, ReadLimits limits) throws ImageReadException {
        return read(file, limits, true);
    }

    private static Volume read(Path file, ReadLimits limits, boolean paletteIndices) throws ImageReadException {
        Objects.requireNonNull(limits, "limits");
        String name = displayName(file);
        try (FileBytes f = open(file, name)) {
            FormatDecoder d = decoder(f, name, limits);
            VolumeHeader h = d.header();
            checkLimits(h, name, limits, h.depth());
            d.checkComplete();
            List<float[]> planes = d.decodeAll(paletteIndices);
            checkFinite(h.dataType(), planes, h.width(), h.height(), name, 0);
            return new FloatVolume(h.width(), h.height(), planes, h.dataType(), h.voxelSize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Reads one stack from several slice files, in the order given (see {@link #naturalOrder(List)}). Each file may
     * hold one or more planes; all must have the same width, height and sample type. Limits apply to the whole stack
     * and are checked from the headers of all files before any of them is decoded. Voxel size comes from the first
     * file.
     *
     * @throws ImageReadException {@link Kind#EMPTY} for an empty list, {@link Kind#INCONSISTENT_SLICES} naming the
     *                            first file and slice that differ, or any error of {@link #read}
     */
    public static Volume readSlices(List<Path> files, ReadLimits limits) throws ImageReadException {
        List<float[]> planes = new ArrayList<>();
        // the same checks as readEach; decoders reuse their plane array, so each plane is copied once here
        VolumeHeader h = readEach(files, limits, (z, plane) -> planes.add(plane.clone()));
        return new FloatVolume(h.width(), h.height(), planes, h.dataType(), h.voxelSize());
    }

    /**
     * Streams a stack plane by plane: every check of {@link #readSlices} runs on all headers first (limits included),
     * then each plane is decoded and handed to {@code sink} in z order, numbered across files. Memory stays bounded by
     * one plane, however deep the stack: use this to store an upload without holding it whole.
     *
     * @return the stack's header, its depth the total over all files
     */
    public static VolumeHeader readEach(List<Path> files, ReadLimits limits, PlaneSink sink) throws ImageReadException {
        if (files == null || files.isEmpty()) {
            throw new ImageReadException(Kind.EMPTY, null, null, "no slice files were given");
        }
        return readEachSource(files.stream().map(SliceSource::of).toList(), limits, sink);
    }

    /**
     * {@link #readEach} for files that need not be local (an upload in S3, read by ranges): the same checks, the
     * same order, the same errors naming {@link SliceSource#name()}.
     */
    public static VolumeHeader readEachSource(List<SliceSource> files, ReadLimits limits, PlaneSink sink)
            throws ImageReadException {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sink, "sink");
        if (files == null || files.isEmpty()) {
            throw new ImageReadException(Kind.EMPTY, null, null, "no slice files were given");
        }
        VolumeHeader first = checkHeaders(files, limits);
        int[] offset = {0};
        for (SliceSource file : files) {
            String name = file.name();
            try (FileBytes f = open(file)) {
                FormatDecoder d = decoder(f, name, limits);
                VolumeHeader h = d.header();
                if (h.width() != first.width() || h.height() != first.height() || h.dataType() != first.dataType()) {
                    throw new ImageReadException(Kind.INCONSISTENT_SLICES, name, offset[0],
                            "slice changed while the stack was read");
                }
                d.decodeEach((z, plane) -> {
                    int slice = offset[0] + z;
                    checkFinite(h.dataType(), List.of(plane), h.width(), h.height(), name, slice);
                    sink.accept(slice, plane);
                }, false);
                offset[0] += h.depth();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        }
        return new VolumeHeader(first.format(), first.width(), first.height(), offset[0], first.dataType(),
                first.voxelSize());
    }

    /**
     * Every check {@link #readEachSource} makes before decoding, on every file's header: format, structure, limits
     * over the whole stack, the same width, height and sample type throughout.
     *
     * @return the stack's header, its depth the total over all files
     */
    public static VolumeHeader checkHeaders(List<SliceSource> files, ReadLimits limits) throws ImageReadException {
        Objects.requireNonNull(limits, "limits");
        if (files == null || files.isEmpty()) {
            throw new ImageReadException(Kind.EMPTY, null, null, "no slice files were given");
        }
        VolumeHeader first = null;
        long depth = 0;
        for (SliceSource file : files) {
            VolumeHeader h = header(file, limits);
            String name = file.name();
            if (first == null) {
                first = h;
            } else if (h.width() != first.width() || h.height() != first.height()) {
                throw new ImageReadException(Kind.INCONSISTENT_SLICES, name, (int) depth, "slice is " + h.width()
                        + "x" + h.height() + " but the first slice is " + first.width() + "x" + first.height());
            } else if (h.dataType() != first.dataType()) {
                throw new ImageReadException(Kind.INCONSISTENT_SLICES, name, (int) depth,
                        "slice has samples of type " + h.dataType() + " but the first slice has " + first.dataType());
            }
            depth += h.depth();
            checkLimits(first, name, limits, depth);
        }
        return new VolumeHeader(first.format(), first.width(), first.height(), (int) depth, first.dataType(),
                first.voxelSize());
    }

    /**
     * Where the stack's planes lie in its files, when every plane of every file is stored uncompressed and
     * contiguous in one encoding (see {@link FormatDecoder#rawPlanes}): such planes can be read in place, and their
     * samples are exactly what {@link #readEachSource} decodes. Empty when any plane is not. Call after
     * {@link #checkHeaders}: this reads the headers again but repeats none of the checks.
     */
    public static java.util.Optional<RawPlanes> rawPlanes(List<SliceSource> files, ReadLimits limits)
            throws ImageReadException {
        PlaneEncoding encoding = null;
        List<RawPlanes.Location> planes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            SliceSource file = files.get(i);
            try (FileBytes f = open(file)) {
                java.util.Optional<RawPlanes> raw = decoder(f, file.name(), limits).rawPlanes();
                if (raw.isEmpty() || encoding != null && !encoding.equals(raw.get().encoding())) {
                    return java.util.Optional.empty();
                }
                encoding = raw.get().encoding();
                for (RawPlanes.Location l : raw.get().planes()) {
                    planes.add(new RawPlanes.Location(i, l.offset()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file.name(), e);
            }
        }
        return java.util.Optional.of(new RawPlanes(encoding, planes));
    }

    /**
     * The check every decoded plane passes ({@link #readEachSource} makes it): for float input, no NaN or ±Infinity
     * sample; the error names the file, the slice and the first such sample.
     */
    public static void checkSamples(VolumeHeader h, float[] plane, String name, int slice) throws ImageReadException {
        checkFinite(h.dataType(), List.of(plane), h.width(), h.height(), name, slice);
    }

    /**
     * What a file declares, without decoding pixels. Applies every check of {@link #read} that does not need pixel
     * values: format, structure, limits and whether the declared data lies inside the file.
     */
    public static VolumeHeader header(Path file, ReadLimits limits) throws ImageReadException {
        return header(SliceSource.of(file), limits);
    }

    /** {@link #header(Path, ReadLimits)} for a file that need not be local. */
    public static VolumeHeader header(SliceSource file, ReadLimits limits) throws ImageReadException {
        Objects.requireNonNull(limits, "limits");
        String name = file.name();
        try (FileBytes f = open(file)) {
            FormatDecoder d = decoder(f, name, limits);
            VolumeHeader h = d.header();
            checkLimits(h, name, limits, h.depth());
            d.checkComplete();
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Sorts slice files by name with digit runs compared as numbers ({@code img2} before {@code img10}), the order a
     * microscopist expects from numbered slices. Returns a new list.
     */
    public static List<Path> naturalOrder(List<Path> files) {
        List<Path> sorted = new ArrayList<>(files);
        sorted.sort((a, b) -> NaturalOrder.compare(displayName(a), displayName(b)));
        return sorted;
    }

    private static String displayName(Path file) {
        Objects.requireNonNull(file, "file");
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }

    private static FileBytes open(Path file, String name) throws ImageReadException, IOException {
        return open(new SliceSource(name, () -> ByteSource.of(file)));
    }

    private static FileBytes open(SliceSource file) throws ImageReadException, IOException {
        try {
            return new FileBytes(file.opener().open());
        } catch (NoSuchFileException e) {
            throw new ImageReadException(Kind.EMPTY, file.name(), null, null, null, "the file does not exist", e);
        }
    }

    private static FormatDecoder decoder(FileBytes f, String name, ReadLimits limits)
            throws ImageReadException, IOException {
        if (f.size() == 0) {
            throw new ImageReadException(Kind.EMPTY, name, null, null, 0L, "the file is empty", null);
        }
        byte[] head = f.head(ImageFormat.SNIFF_BYTES);
        ImageFormat format = ImageFormat.sniff(head).orElseThrow(() -> new ImageReadException(
                Kind.UNSUPPORTED_FORMAT, name, null, "not a PNG, TIFF or MRC file (unrecognised leading bytes)"));
        return switch (format) {
            case PNG -> new PngDecoder(f, name);
            case MRC -> new MrcDecoder(f, name);
            case TIFF -> new TiffFormat(f, name, limits);
        };
    }

    private static void checkLimits(VolumeHeader h, String name, ReadLimits limits, long depth)
            throws ImageReadException {
        if (h.width() < limits.minSide() || h.height() < limits.minSide()) {
            throw new ImageReadException(Kind.TOO_SMALL, name, null, (long) limits.minSide(),
                    (long) Math.min(h.width(), h.height()),
                    "image is " + h.width() + "x" + h.height() + ", smaller than the minimum side", null);
        }
        if (depth > limits.maxDepth()) {
            throw new ImageReadException(Kind.TOO_LARGE, name, null, (long) limits.maxDepth(), depth,
                    "more planes than allowed", null);
        }
        long bytes = ReadLimits.decodedBytes(h.width(), h.height(), depth);
        if (bytes > limits.maxBytes()) {
            throw new ImageReadException(Kind.TOO_LARGE, name, null, limits.maxBytes(), bytes,
                    "the decoded volume (" + h.width() + "x" + h.height() + "x" + depth
                            + " float samples) would exceed the byte limit", null);
        }
        if ((long) h.width() * h.height() > Integer.MAX_VALUE - 8) {
            throw new ImageReadException(Kind.TOO_LARGE, name, null, (long) Integer.MAX_VALUE - 8,
                    (long) h.width() * h.height(), "one plane has more pixels than a plane may hold", null);
        }
    }

    private static void checkFinite(DataType type, List<float[]> planes, int width, int height, String name,
            int firstSlice) throws ImageReadException {
        if (type != DataType.FLOAT32) {
            return;
        }
        int n = width * height;
        for (int z = 0; z < planes.size(); z++) {
            float[] p = planes.get(z);
            int i = Samples.firstNonFinite(p, n);
            if (i >= 0) {
                long count = Samples.countNonFinite(p, n);
                throw new ImageReadException(Kind.NON_FINITE, name, firstSlice + z, null, count,
                        count + " NaN/Infinity samples in this slice, the first at x=" + (i % width) + " y="
                                + (i / width) + " (" + p[i] + ")", null);
            }
        }
    }

    /** TIFF as a {@link FormatDecoder}. */
    private static final class TiffFormat implements FormatDecoder {
        private final FileBytes f;
        private final TiffDecoder d;
        private final VolumeHeader header;

        TiffFormat(FileBytes f, String name, ReadLimits limits) throws ImageReadException, IOException {
            this.f = f;
            TiffFile t = TiffFile.parse(f, name, limits);
            this.d = new TiffDecoder(name, t);
            this.header = new VolumeHeader(ImageFormat.TIFF, d.width(), d.height(), d.depth(), d.dataType(),
                    d.voxelSize());
        }

        @Override
        public VolumeHeader header() {
            return header;
        }

        @Override
        public void checkComplete() throws ImageReadException {
            d.checkComplete(f.size());
        }

        @Override
        public void decodeEach(PlaneSink sink, boolean paletteIndices) throws ImageReadException, IOException {
            d.decodeEach(f, sink, paletteIndices);
        }

        @Override
        public java.util.Optional<RawPlanes> rawPlanes() {
            return d.rawPlanes();
        }
    }
}
