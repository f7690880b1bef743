package org.zooscope.core.io;

import java.nio.ByteBuffer;

/** Conversion of raw little/big-endian sample bytes to float; package-private. */
final class Samples {

    private Samples() {
    }

    /** Kinds of raw samples the raw decoders handle. */
    enum Raw {
        U8(1), S8(1), U16(2), S16(2), U32(4), S32(4), F16(2), F32(4), F64(8);

        final int bytes;

        Raw(int bytes) {
            this.bytes = bytes;
        }
    }

    /** Decodes {@code n} samples of kind {@code raw} from {@code src} (position advanced) into {@code dst[off..]}. */
    static void decode(ByteBuffer src, Raw raw, float[] dst, int off, int n) {
        switch (raw) {
            case U8 -> {
                if (src.hasArray()) {
                    byte[] a = src.array();
                    int base = src.arrayOffset() + src.position();
                    for (int i = 0; i < n; i++) {
                        dst[off + i] = a[base + i] & 0xFF;
                    }
                    src.position(src.position() + n);
                } else {
                    for (int i = 0; i < n; i++) {
                        dst[off + i] = src.get() & 0xFF;
                    }
                }
            }
            case S8 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = src.get();
                }
            }
            case U16 -> {
                short[] s = new short[n];
                src.asShortBuffer().get(s);
                src.position(src.position() + 2 * n);
                for (int i = 0; i < n; i++) {
                    dst[off + i] = s[i] & 0xFFFF;
                }
            }
            case S16 -> {
                short[] s = new short[n];
                src.asShortBuffer().get(s);
                src.position(src.position() + 2 * n);
                for (int i = 0; i < n; i++) {
                    dst[off + i] = s[i];
                }
            }
            case U32 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = src.getInt() & 0xFFFFFFFFL;
                }
            }
            case S32 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = src.getInt();
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = halfToFloat(src.getShort());
                }
            }
            case F32 -> {
                src.asFloatBuffer().get(dst, off, n);
                src.position(src.position() + 4 * n);
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = (float) src.getDouble();
                }
            }
            default -> throw new IllegalStateException(raw.toString());
        }
    }

    /** IEEE 754 binary16 to float (exact). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Index of the first non-finite sample in {@code p[0..n)}, or -1. */
    static int firstNonFinite(float[] p, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(p[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Number of non-finite samples in {@code p[0..n)}. */
    static long countNonFinite(float[] p, int n) {
        long c = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(p[i])) {
                c++;
            }
        }
        return c;
    }
}
