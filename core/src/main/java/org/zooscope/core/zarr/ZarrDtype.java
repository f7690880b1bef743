package org.zooscope.core.zarr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Zarr v2 numeric dtype: NumPy type string ({@code "<f4"}, {@code "|u1"}, {@code ">u2"}...), i.e. byte order,
 * kind ({@code u}, {@code i}, {@code f}) and size. Immutable.
 *
 * @param kind  'u', 'i' or 'f'
 * @param size  bytes per sample: 1, 2, 4 or 8
 * @param order byte order (irrelevant for size 1)
 */
public record ZarrDtype(char kind, int size, ByteOrder order) {

    public static final ZarrDtype UINT8 = new ZarrDtype('u', 1, ByteOrder.LITTLE_ENDIAN);
    public static final ZarrDtype UINT16 = new ZarrDtype('u', 2, ByteOrder.LITTLE_ENDIAN);
    public static final ZarrDtype INT32 = new ZarrDtype('i', 4, ByteOrder.LITTLE_ENDIAN);
    public static final ZarrDtype FLOAT32 = new ZarrDtype('f', 4, ByteOrder.LITTLE_ENDIAN);

    public ZarrDtype {
        boolean ok = switch (kind) {
            case 'u', 'i' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'f' -> size == 2 || size == 4 || size == 8;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("unsupported Zarr dtype kind " + kind + " size " + size);
        }
    }

    /** Parses a NumPy type string. */
    public static ZarrDtype parse(String s) {
        if (s == null || s.length() < 3) {
            throw new IllegalArgumentException("unsupported Zarr dtype: " + s);
        }
        char o = s.charAt(0);
        ByteOrder order = switch (o) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> throw new IllegalArgumentException("unsupported Zarr dtype: " + s);
        };
        int size;
        try {
            size = Integer.parseInt(s.substring(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsupported Zarr dtype: " + s, e);
        }
        return new ZarrDtype(s.charAt(1), size, order);
    }

    /** The NumPy type string. */
    public String typestr() {
        char o = size == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
        return "" + o + kind + size;
    }

    /** Reads one sample as float. */
    float read(ByteBuffer b) {
        return switch (kind) {
            case 'u' -> switch (size) {
                case 1 -> b.get() & 0xFF;
                case 2 -> b.getShort() & 0xFFFF;
                case 4 -> b.getInt() & 0xFFFFFFFFL;
                default -> (float) b.getLong();
            };
            case 'i' -> switch (size) {
                case 1 -> b.get();
                case 2 -> b.getShort();
                case 4 -> b.getInt();
                default -> (float) b.getLong();
            };
            default -> switch (size) {
                case 2 -> org.zooscope.core.zarr.Half.toFloat(b.getShort());
                case 4 -> b.getFloat();
                default -> (float) b.getDouble();
            };
        };
    }

    /**
     * Writes every sample of {@code src} at the buffer's position, exactly as {@link #write} writes each, with the
     * bounds worked out once (8- and 16-bit unsigned, the hosted datasets' types, straight into the array).
     */
    void writeAll(float[] src, ByteBuffer b) {
        if (kind == 'f') {
            for (float v : src) {
                write(b, v);
            }
            return;
        }
        double lo = kind == 'u' ? 0 : -Math.pow(2, size * 8 - 1);
        double hi = kind == 'u' ? Math.pow(2, size * 8) - 1 : Math.pow(2, size * 8 - 1) - 1;
        if (kind == 'u' && size <= 2 && b.hasArray() && (size == 1 || order == ByteOrder.LITTLE_ENDIAN)) {
            byte[] a = b.array();
            int p = b.arrayOffset() + b.position();
            for (float v : src) {
                int r = (int) Math.max(lo, Math.min(hi, Float.isNaN(v) ? 0 : Math.rint(v)));
                a[p++] = (byte) r;
                if (size == 2) {
                    a[p++] = (byte) (r >> 8);
                }
            }
            b.position(p - b.arrayOffset());
            return;
        }
        for (float v : src) {
            double r = Math.max(lo, Math.min(hi, Float.isNaN(v) ? 0 : Math.rint(v)));
            switch (size) {
                case 1 -> b.put((byte) (long) r);
                case 2 -> b.putShort((short) (long) r);
                case 4 -> b.putInt((int) (long) r);
                default -> b.putLong((long) r);
            }
        }
    }

    /** Writes one sample, rounding half-to-even and saturating for integer kinds. */
    void write(ByteBuffer b, float v) {
        if (kind == 'f') {
            switch (size) {
                case 4 -> b.putFloat(v);
                case 8 -> b.putDouble(v);
                default -> throw new IllegalStateException("writing float16 is not supported");
            }
            return;
        }
        double r = Float.isNaN(v) ? 0 : Math.rint(v);
        double lo = kind == 'u' ? 0 : -Math.pow(2, size * 8 - 1);
        double hi = kind == 'u' ? Math.pow(2, size * 8) - 1 : Math.pow(2, size * 8 - 1) - 1;
        r = Math.max(lo, Math.min(hi, r));
        switch (size) {
            case 1 -> b.put((byte) (long) r);
            case 2 -> b.putShort((short) (long) r);
            case 4 -> b.putInt((int) (long) r);
            default -> b.putLong((long) r);
        }
    }
}
