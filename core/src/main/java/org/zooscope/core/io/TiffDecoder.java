package org.zooscope.core.io;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import javax.imageio.IIOException;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.zooscope.core.io.ImageReadException.Kind;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;

/**
 * Decodes the pages of a parsed {@link TiffFile} to float planes. Uncompressed single-sample strips are read
 * directly; everything else (LZW, Deflate, PackBits, JPEG, tiles, predictors, planar RGB, palettes) goes through
 * TwelveMonkeys' {@code readRaster}, which returns the stored samples without colour conversion (its {@code read}
 * would clamp float samples to [0, 1]). Package-private.
 */
final class TiffDecoder {

    private final String name;
    private final TiffFile tiff;
    private final DataType dataType;
    private final int imagejRawPlanes;

    TiffDecoder(String name, TiffFile tiff) throws ImageReadException {
        this.name = name;
        this.tiff = tiff;
        TiffFile.Page first = tiff.pages.get(0);
        this.dataType = dataType(first, name, 0);
        for (int i = 1; i < tiff.pages.size(); i++) {
            TiffFile.Page p = tiff.pages.get(i);
            if (p.width() != first.width() || p.height() != first.height()) {
                throw new ImageReadException(Kind.INCONSISTENT_SLICES, name, i, "page is " + p.width() + "x"
                        + p.height() + " but page 0 is " + first.width() + "x" + first.height());
            }
            DataType t = dataType(p, name, i);
            if (t != dataType) {
                throw new ImageReadException(Kind.INCONSISTENT_SLICES, name, i,
                        "page has samples of type " + t + " but page 0 has " + dataType);
            }
        }
        Map<String, String> ij = TiffMetadata.imagej(tiff.description);
        int channels = Math.max(TiffMetadata.intOr(ij, "channels", 1),
                TiffMetadata.intOr(TiffMetadata.omePixels(tiff.description), "SizeC", 1));
        if (channels > 1) {
            throw new ImageReadException(Kind.UNSUPPORTED_DATA_TYPE, name, null, null, (long) channels,
                    "multi-channel stacks are not supported; save one channel per file", null);
        }
        int images = TiffMetadata.intOr(ij, "images", 1);
        // ImageJ writes stacks over 4 GiB with a single directory and the planes one after another.
        this.imagejRawPlanes = tiff.pages.size() == 1 && images > 1 && rawReadable(first)
                && first.compression() == TiffFile.COMPRESSION_NONE ? images : 0;
    }

    int width() {
        return tiff.pages.get(0).width();
    }

    int height() {
        return tiff.pages.get(0).height();
    }

    int depth() {
        return imagejRawPlanes > 0 ? imagejRawPlanes : tiff.pages.size();
    }

    DataType dataType() {
        return dataType;
    }

    VoxelSize voxelSize() {
        return TiffMetadata.voxelSize(tiff);
    }

    /** Checks that every page's data lies inside the file. */
    void checkComplete(long fileSize) throws ImageReadException {
        if (imagejRawPlanes > 0) {
            TiffFile.Page p = tiff.pages.get(0);
            long end = p.offsets()[0] + p.uncompressedBytes() * imagejRawPlanes;
            if (end > fileSize) {
                throw new ImageReadException(Kind.TRUNCATED, name, (int) ((fileSize - p.offsets()[0])
                        / p.uncompressedBytes()), end, fileSize, "the ImageJ stack ends early", null);
            }
            return;
        }
        for (int i = 0; i < tiff.pages.size(); i++) {
            TiffFile.Page p = tiff.pages.get(i);
            long[] off = p.offsets();
            long[] cnt = p.byteCounts();
            if (cnt == null && p.compression() == TiffFile.COMPRESSION_NONE && off.length == 1) {
                cnt = new long[] {p.uncompressedBytes()};
            }
            if (cnt == null || cnt.length != off.length) {
                throw new ImageReadException(Kind.CORRUPT, name, i, "strip/tile byte counts are missing");
            }
            for (int k = 0; k < off.length; k++) {
                if (off[k] < 0 || cnt[k] < 0 || off[k] + cnt[k] > fileSize) {
                    throw new ImageReadException(Kind.TRUNCATED, name, i, fileSize, off[k] + cnt[k],
                            "page data ends past the end of the file", null);
                }
            }
        }
    }

    /**
     * The pages as byte ranges of the file when each is one uncompressed run of samples (strips back to back, read
     * exactly as {@link #decodeEach} reads them) of one kind; float64 is not (its floats take half the bytes).
     */
    java.util.Optional<RawPlanes> rawPlanes() {
        TiffFile.Page first = tiff.pages.get(0);
        java.util.List<RawPlanes.Location> planes = new java.util.ArrayList<>();
        if (imagejRawPlanes > 0) {
            for (int z = 0; z < imagejRawPlanes; z++) {
                planes.add(new RawPlanes.Location(0, first.offsets()[0] + z * first.uncompressedBytes()));
            }
        } else {
            for (TiffFile.Page p : tiff.pages) {
                if (p.compression() != TiffFile.COMPRESSION_NONE || !rawReadable(p) || rawKind(p) != rawKind(first)
                        || !contiguous(p)) {
                    return java.util.Optional.empty();
                }
                planes.add(new RawPlanes.Location(0, p.offsets()[0]));
            }
        }
        Samples.Raw raw = rawKind(first);
        if (raw == null || raw == Samples.Raw.F64) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new RawPlanes(PlaneEncoding.of(raw, tiff.order), planes));
    }

    /** Whether the page's strips lie back to back, each holding exactly its rows. */
    private static boolean contiguous(TiffFile.Page p) {
        long rowBytes = (long) p.width() * rawKind(p).bytes;
        int rowsPerStrip = p.rowsPerStrip() > 0 ? p.rowsPerStrip() : p.height();
        long next = p.offsets()[0];
        int row = 0;
        for (int s = 0; s < p.offsets().length && row < p.height(); s++) {
            int rows = Math.min(rowsPerStrip, p.height() - row);
            if (p.offsets()[s] != next || p.byteCounts()[s] < rows * rowBytes) {
                return false;
            }
            next += rows * rowBytes;
            row += rows;
        }
        return row == p.height();
    }

    /** Decodes every plane, in order, into one reused array handed to {@code sink} per plane. */
    void decodeEach(FileBytes f, PlaneSink sink, boolean paletteIndices) throws ImageReadException, IOException {
        int n = width() * height();
        float[] dst = new float[n];
        if (imagejRawPlanes > 0) {
            TiffFile.Page p = tiff.pages.get(0);
            for (int z = 0; z < imagejRawPlanes; z++) {
                readContiguous(f, p, p.offsets()[0] + z * p.uncompressedBytes(), dst);
                sink.accept(z, dst);
            }
            return;
        }
        ImageReader reader = null;
        ImageInputStream in = null;
        try {
            for (int i = 0; i < tiff.pages.size(); i++) {
                TiffFile.Page p = tiff.pages.get(i);
                if (rawReadable(p)) {
                    readStrips(f, p, dst, i);
                } else {
                    if (reader == null) {
                        reader = new TIFFImageReaderSpi().createReaderInstance();
                        in = f.imageStream();
                        reader.setInput(in, false, true);
                    }
                    Raster r;
                    try {
                        r = reader.readRaster(p.ifdIndex(), null);
                    } catch (EOFException e) {
                        throw new ImageReadException(Kind.TRUNCATED, name, i, null, null,
                                "page data ends early", e);
                    } catch (IIOException | RuntimeException e) {
                        throw new ImageReadException(Kind.CORRUPT, name, i, null, null,
                                "cannot decode page: " + e.getMessage(), e);
                    }
                    if (r.getWidth() != p.width() || r.getHeight() != p.height()) {
                        throw new ImageReadException(Kind.CORRUPT, name, i,
                                "decoded " + r.getWidth() + "x" + r.getHeight() + ", header says " + p.width() + "x"
                                        + p.height());
                    }
                    RasterPlanes.toPlane(r, p.bitsPerSample(), p.sampleFormat() == 2, p.photometric(),
                            paletteIndices ? null : p.colorMap(), dataType, dst);
                }
                sink.accept(i, dst);
            }
        } finally {
            if (reader != null) {
                reader.dispose();
            }
            if (in != null) {
                in.close();
            }
        }
    }

    /**
     * Pages read without ImageIO: single-sample strips, uncompressed or Deflate without predictor (what tifffile,
     * ImageJ and {@link TiffWriter} write by default). Everything else goes through TwelveMonkeys.
     */
    private static boolean rawReadable(TiffFile.Page p) {
        int b = p.bitsPerSample();
        int c = p.compression();
        boolean codec = c == TiffFile.COMPRESSION_NONE
                || (c == TiffFile.COMPRESSION_DEFLATE || c == TiffFile.COMPRESSION_DEFLATE_OLD) && p.predictor() == 1;
        return codec && !p.tiled() && p.samplesPerPixel() == 1
                && (p.photometric() == 0 || p.photometric() == 1)
                && (b == 8 || b == 16 || b == 32 || b == 64) && p.byteCounts() != null
                && p.byteCounts().length == p.offsets().length && rawKind(p) != null;
    }

    private static Samples.Raw rawKind(TiffFile.Page p) {
        int b = p.bitsPerSample();
        int sf = p.sampleFormat();
        if (sf == 3) {
            return b == 16 ? Samples.Raw.F16 : b == 32 ? Samples.Raw.F32 : b == 64 ? Samples.Raw.F64 : null;
        }
        boolean signed = sf == 2;
        return switch (b) {
            case 8 -> signed ? Samples.Raw.S8 : Samples.Raw.U8;
            case 16 -> signed ? Samples.Raw.S16 : Samples.Raw.U16;
            case 32 -> signed ? Samples.Raw.S32 : Samples.Raw.U32;
            default -> null;
        };
    }

    private void readStrips(FileBytes f, TiffFile.Page p, float[] dst, int slice)
            throws IOException, ImageReadException {
        Samples.Raw raw = rawKind(p);
        int w = p.width();
        int rowBytes = w * raw.bytes;
        int rowsPerStrip = p.rowsPerStrip() > 0 ? p.rowsPerStrip() : p.height();
        boolean deflate = p.compression() != TiffFile.COMPRESSION_NONE;
        java.util.zip.Inflater inflater = deflate ? new java.util.zip.Inflater() : null;
        try {
            int row = 0;
            for (int s = 0; s < p.offsets().length && row < p.height(); s++) {
                int rows = Math.min(rowsPerStrip, p.height() - row);
                int need = rows * rowBytes;
                ByteBuffer b;
                if (deflate) {
                    ByteBuffer z = f.read(p.offsets()[s], (int) p.byteCounts()[s], tiff.order);
                    byte[] out = new byte[need];
                    inflater.reset();
                    inflater.setInput(z.array(), z.arrayOffset(), z.remaining());
                    int got = 0;
                    try {
                        while (got < need) {
                            int k = inflater.inflate(out, got, need - got);
                            if (k == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                                break;
                            }
                            got += k;
                        }
                        // read to the end of the stream so that its Adler-32 checksum is verified
                        byte[] extra = new byte[64];
                        while (got >= need && !inflater.finished()) {
                            int k = inflater.inflate(extra);
                            if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                                throw new ImageReadException(Kind.CORRUPT, name, slice, null, null,
                                        "Deflate strip " + s + " ends without its checksum", null);
                            }
                        }
                    } catch (java.util.zip.DataFormatException e) {
                        throw new ImageReadException(Kind.CORRUPT, name, slice, null, null,
                                "invalid Deflate data in strip " + s, e);
                    }
                    if (got < need) {
                        throw new ImageReadException(Kind.CORRUPT, name, slice, (long) need, (long) got,
                                "Deflate strip " + s + " holds fewer bytes than its rows need", null);
                    }
                    b = ByteBuffer.wrap(out).order(tiff.order);
                } else {
                    b = f.read(p.offsets()[s], need, tiff.order);
                }
                Samples.decode(b, raw, dst, row * w, rows * w);
                row += rows;
            }
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    private void readContiguous(FileBytes f, TiffFile.Page p, long offset, float[] dst) throws IOException {
        Samples.Raw raw = rawKind(p);
        ByteBuffer b = f.read(offset, dst.length * raw.bytes, tiff.order);
        Samples.decode(b, raw, dst, 0, dst.length);
    }

    static DataType dataType(TiffFile.Page p, String name, int slice) throws ImageReadException {
        int b = p.bitsPerSample();
        int sf = p.sampleFormat();
        int ph = p.photometric();
        int spp = p.samplesPerPixel();
        if (ph == 3) {
            if (b <= 8) {
                return DataType.UINT8;
            }
            if (b == 16) {
                return DataType.UINT16;
            }
        }
        boolean layoutOk = spp == 1 || spp == 2 && (ph == 0 || ph == 1) || (spp == 3 || spp == 4) && (ph == 2 || ph == 6);
        if (!layoutOk) {
            throw new ImageReadException(Kind.UNSUPPORTED_DATA_TYPE, name, slice, null, (long) spp,
                    "unsupported sample layout (photometric " + ph + ", " + spp + " samples per pixel)", null);
        }
        if (sf == 3 && (b == 16 || b == 32 || b == 64)) {
            return DataType.FLOAT32;
        }
        if (sf == 2 && (b == 8 || b == 16 || b == 32)) {
            return DataType.INT32;
        }
        if (sf == 1 || sf == 4) {
            if (b >= 1 && b <= 8) {
                return DataType.UINT8;
            }
            if (b > 8 && b <= 16) {
                return DataType.UINT16;
            }
            if (b == 32) {
                return DataType.INT32;
            }
        }
        throw new ImageReadException(Kind.UNSUPPORTED_DATA_TYPE, name, slice, null, (long) b,
                "unsupported TIFF samples: " + b + " bits, SampleFormat " + sf, null);
    }

    /** Samples of a raster's data type, used by {@link RasterPlanes}. */
    static boolean isFloatBuffer(int dataBufferType) {
        return dataBufferType == DataBuffer.TYPE_FLOAT || dataBufferType == DataBuffer.TYPE_DOUBLE;
    }
}
