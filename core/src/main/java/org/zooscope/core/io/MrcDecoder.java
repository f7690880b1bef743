package org.zooscope.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.zooscope.core.io.ImageReadException.Kind;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;

/**
 * MRC2014 / IMOD MRC reader. Header: 1024 bytes, then {@code NSYMBT} bytes of extended header, then the voxels, x
 * fastest, then y, then z; row 0 in the file is row 0 of the plane (as mrcfile/numpy read it; IMOD displays it at the
 * bottom). Byte order from the machine stamp at byte 212 ({@code 0x44} little, {@code 0x11} big; a plausibility test
 * when it is missing). Modes: 0 int8 or uint8, 1 int16, 2 float32, 6 uint16, 12 float16. Mode 0 is signed when the
 * IMOD stamp says so (imodFlags bit 0); without an IMOD stamp it is read as unsigned when the header's DMIN/DMAX lie
 * in 0..255 and reach above 127, and as signed (the MRC2014 rule) otherwise. Complex and 4-bit modes and permuted
 * axes are refused. Voxel size is {@code CELLA / MXYZ} in Å. Package-private.
 */
final class MrcDecoder implements FormatDecoder {

    private static final int IMOD_STAMP = 1146047817;

    private final FileBytes f;
    private final String name;
    private final VolumeHeader header;
    private final Samples.Raw raw;
    private final ByteOrder order;
    private final long dataOffset;

    MrcDecoder(FileBytes f, String name) throws ImageReadException, IOException {
        this.f = f;
        this.name = name;
        if (f.size() < 1024) {
            throw new ImageReadException(Kind.TRUNCATED, name, null, 1024L, f.size(),
                    "the MRC header needs 1024 bytes", null);
        }
        ByteBuffer h = f.read(0, 1024, ByteOrder.LITTLE_ENDIAN);
        int stamp = h.get(212) & 0xFF;
        ByteOrder o;
        if (stamp == 0x44 || stamp == 0x41) {
            o = ByteOrder.LITTLE_ENDIAN;
        } else if (stamp == 0x11) {
            o = ByteOrder.BIG_ENDIAN;
        } else {
            int modeLe = h.getInt(12);
            o = modeLe >= 0 && modeLe < 200 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        }
        this.order = o;
        h.order(o);
        int nx = h.getInt(0);
        int ny = h.getInt(4);
        int nz = h.getInt(8);
        int mode = h.getInt(12);
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new ImageReadException(Kind.CORRUPT, name, null, "invalid MRC size " + nx + "x" + ny + "x" + nz);
        }
        int mapc = h.getInt(64);
        int mapr = h.getInt(68);
        int maps = h.getInt(72);
        boolean standardAxes = (mapc == 1 && mapr == 2 && maps == 3) || (mapc == 0 && mapr == 0 && maps == 0);
        if (!standardAxes) {
            throw new ImageReadException(Kind.UNSUPPORTED_DATA_TYPE, name, null,
                    "MRC axis order " + mapc + "," + mapr + "," + maps + " is not supported (only 1,2,3)");
        }
        int nsymbt = h.getInt(92);
        if (nsymbt < 0) {
            throw new ImageReadException(Kind.CORRUPT, name, null, null, (long) nsymbt,
                    "negative MRC extended header size", null);
        }
        DataType type;
        switch (mode) {
            case 0 -> {
                boolean signed;
                if (h.getInt(152) == IMOD_STAMP) {
                    signed = (h.getInt(156) & 1) != 0;
                } else {
                    float dmin = h.getFloat(76);
                    float dmax = h.getFloat(80);
                    signed = !(dmin >= 0 && dmax > 127 && dmax <= 255);
                }
                raw = signed ? Samples.Raw.S8 : Samples.Raw.U8;
                type = signed ? DataType.INT32 : DataType.UINT8;
            }
            case 1 -> {
                raw = Samples.Raw.S16;
                type = DataType.INT32;
            }
            case 2 -> {
                raw = Samples.Raw.F32;
                type = DataType.FLOAT32;
            }
            case 6 -> {
                raw = Samples.Raw.U16;
                type = DataType.UINT16;
            }
            case 12 -> {
                raw = Samples.Raw.F16;
                type = DataType.FLOAT32;
            }
            default -> throw new ImageReadException(Kind.UNSUPPORTED_DATA_TYPE, name, null, null, (long) mode,
                    "MRC mode " + mode + " is not supported (0, 1, 2, 6 and 12 are)", null);
        }
        this.dataOffset = 1024L + nsymbt;
        this.header = new VolumeHeader(ImageFormat.MRC, nx, ny, nz, type, voxelSize(h, nx, ny, nz));
    }

    private static VoxelSize voxelSize(ByteBuffer h, int nx, int ny, int nz) {
        int mx = h.getInt(28);
        int my = h.getInt(32);
        int mz = h.getInt(36);
        double ax = h.getFloat(40);
        double ay = h.getFloat(44);
        double az = h.getFloat(48);
        double sx = ax / (mx > 0 ? mx : nx);
        double sy = ay / (my > 0 ? my : ny);
        double sz = az / (mz > 0 ? mz : nz);
        if (!(sx > 0) || !(sy > 0) || !Double.isFinite(sx) || !Double.isFinite(sy)) {
            return VoxelSize.unknown();
        }
        if (!(sz > 0) || !Double.isFinite(sz)) {
            sz = sx;
        }
        return new VoxelSize(sx, sy, sz, "Å");
    }

    @Override
    public VolumeHeader header() {
        return header;
    }

    private long planeBytes() {
        return (long) header.width() * header.height() * raw.bytes;
    }

    @Override
    public void checkComplete() throws ImageReadException {
        long end = dataOffset + planeBytes() * header.depth();
        if (end > f.size()) {
            long complete = Math.max(0, (f.size() - dataOffset) / planeBytes());
            throw new ImageReadException(Kind.TRUNCATED, name, (int) complete, end, f.size(),
                    "the MRC data ends early (file bytes vs. bytes the header declares)", null);
        }
    }

    @Override
    public java.util.Optional<RawPlanes> rawPlanes() {
        java.util.List<RawPlanes.Location> planes = new java.util.ArrayList<>(header.depth());
        for (int z = 0; z < header.depth(); z++) {
            planes.add(new RawPlanes.Location(0, dataOffset + z * planeBytes()));
        }
        return java.util.Optional.of(new RawPlanes(PlaneEncoding.of(raw, order), planes));
    }

    @Override
    public void decodeEach(PlaneSink sink, boolean paletteIndices) throws ImageReadException, IOException {
        int n = header.width() * header.height();
        float[] dst = new float[n];
        int rowsPerChunk = Math.max(1, (1 << 22) / (header.width() * raw.bytes));
        for (int z = 0; z < header.depth(); z++) {
            long base = dataOffset + z * planeBytes();
            for (int y = 0; y < header.height(); y += rowsPerChunk) {
                int rows = Math.min(rowsPerChunk, header.height() - y);
                int count = rows * header.width();
                ByteBuffer b = f.read(base + (long) y * header.width() * raw.bytes, count * raw.bytes, order);
                Samples.decode(b, raw, dst, y * header.width(), count);
            }
            sink.accept(z, dst);
        }
    }
}
