package org.zooscope.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import org.zooscope.core.volume.DataType;

/**
 * How a stored plane's samples are laid out: raw samples of one kind, in one byte order, row by row, no header (an
 * uploaded file's own pixels read by offset, or a plane decoded and stored in the volume's own type). Named in
 * {@code volume.json} as e.g. {@code uint16le}, {@code int16be}, {@code float32le}. The one converter of such bytes to
 * float, which every reader of uploaded planes uses. Immutable.
 */
public record PlaneEncoding(String name) {
    /** What uploads stored before planes were kept in their own type: float32, little-endian. */
    public static final PlaneEncoding FLOAT32_LE = new PlaneEncoding("float32le");

    public PlaneEncoding {
        raw(name); // validates
    }

    static PlaneEncoding of(Samples.Raw raw, ByteOrder order) {
        return new PlaneEncoding(kind(raw) + (order == ByteOrder.BIG_ENDIAN ? "be" : "le"));
    }

    /**
     * What a plane decoded to floats of {@code type} is stored as: its own type (8/16-bit unsigned), float32 for float
     * and for 32-bit integers (the decoded values are exactly those floats; as int32 they would take as many bytes).
     */
    public static PlaneEncoding storing(DataType type) {
        return switch (type) {
            case UINT8 -> new PlaneEncoding("uint8le");
            case UINT16 -> new PlaneEncoding("uint16le");
            default -> FLOAT32_LE;
        };
    }

    public int bytesPerSample() {
        return raw(name).bytes;
    }

    /** Samples {@code [0, n)} of {@code bytes} (from {@code offset}) as floats into {@code dst}. */
    public void decode(byte[] bytes, int offset, float[] dst, int n) {
        Samples.decode(ByteBuffer.wrap(bytes, offset, n * bytesPerSample()).order(order()), raw(name), dst, 0, n);
    }

    /**
     * {@code plane} in this encoding. Only for {@link #storing} encodings, whose values the plane's type holds exactly
     * (unsigned integers are rounded and clamped to their range, which a decoded plane of that type never leaves).
     */
    public byte[] encode(float[] plane) {
        ByteBuffer b = ByteBuffer.allocate(plane.length * bytesPerSample()).order(order());
        switch (raw(name)) {
            case U8 -> {
                for (float v : plane) {
                    b.put((byte) Math.max(0, Math.min(255, Math.round(v))));
                }
            }
            case U16 -> {
                for (float v : plane) {
                    b.putShort((short) Math.max(0, Math.min(65535, Math.round(v))));
                }
            }
            case F32 -> b.asFloatBuffer().put(plane);
            default -> throw new IllegalStateException("planes are not stored as " + name);
        }
        return b.array();
    }

    private ByteOrder order() {
        return name.endsWith("be") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static String kind(Samples.Raw raw) {
        return switch (raw) {
            case U8 -> "uint8";
            case S8 -> "int8";
            case U16 -> "uint16";
            case S16 -> "int16";
            case U32 -> "uint32";
            case S32 -> "int32";
            case F16 -> "float16";
            case F32 -> "float32";
            case F64 -> "float64";
        };
    }

    private static Samples.Raw raw(String name) {
        if (name != null && (name.endsWith("le") || name.endsWith("be"))) {
            String kind = name.substring(0, name.length() - 2);
            for (Samples.Raw r : Samples.Raw.values()) {
                if (kind(r).equals(kind)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown plane encoding '" + name + "' (e.g. uint16le, float32be)");
    }

    @Override
    public String toString() {
        return name.toLowerCase(Locale.ROOT);
    }
}
