package org.zooscope.core.io;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferFloat;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import org.zooscope.core.volume.DataType;

/**
 * Turns a decoded {@link Raster} into one float plane: grey (band 0), grey+alpha (band 0), YCbCr (band 0 = luma),
 * RGB(A) (Rec. 601 luma {@code 0.299 R + 0.587 G + 0.114 B}, rounded for integer types, so grey stored as RGB stays
 * exact) and palette (luma of the palette colour). Package-private.
 */
final class RasterPlanes {

    private RasterPlanes() {
    }

    static void toPlane(Raster r, int bits, boolean signed, int photometric, int[] colorMap, DataType type,
            float[] dst) {
        int w = r.getWidth();
        int h = r.getHeight();
        int bands = r.getNumBands();
        if (colorMap != null) {
            int entries = colorMap.length / 3;
            int[] idx = r.getSamples(r.getMinX(), r.getMinY(), w, h, 0, (int[]) null);
            float[] lut = new float[entries];
            for (int i = 0; i < entries; i++) {
                double l = luma(colorMap[i], colorMap[entries + i], colorMap[2 * entries + i]);
                lut[i] = (float) Math.rint(bits <= 8 ? l / 257.0 : l);
            }
            for (int i = 0; i < idx.length; i++) {
                dst[i] = lut[Math.min(idx[i], entries - 1)];
            }
            return;
        }
        if (bands >= 3 && photometric == 2) {
            float[] rr = band(r, 0, bits, signed, null);
            float[] gg = band(r, 1, bits, signed, null);
            float[] bb = band(r, 2, bits, signed, null);
            boolean integer = type.isInteger();
            for (int i = 0; i < w * h; i++) {
                double l = luma(rr[i], gg[i], bb[i]);
                dst[i] = (float) (integer ? Math.rint(l) : l);
            }
            return;
        }
        band(r, 0, bits, signed, dst);
    }

    static double luma(double red, double green, double blue) {
        return 0.299 * red + 0.587 * green + 0.114 * blue;
    }

    /** Band {@code b} as float values with TIFF sample semantics applied. */
    private static float[] band(Raster r, int b, int bits, boolean signed, float[] dstOrNull) {
        int w = r.getWidth();
        int h = r.getHeight();
        float[] dst = dstOrNull != null ? dstOrNull : new float[w * h];
        DataBuffer db = r.getDataBuffer();
        if (r.getSampleModel() instanceof ComponentSampleModel sm && db.getNumBanks() == 1
                && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0) {
            int ps = sm.getPixelStride();
            int ss = sm.getScanlineStride();
            int off = db.getOffset() + sm.getBandOffsets()[b];
            if (sm.getBankIndices()[b] == 0) {
                if (db instanceof DataBufferByte bb && bits == 8) {
                    byte[] a = bb.getData();
                    for (int y = 0; y < h; y++) {
                        int base = off + y * ss;
                        int o = y * w;
                        if (signed) {
                            for (int x = 0; x < w; x++) {
                                dst[o + x] = a[base + x * ps];
                            }
                        } else {
                            for (int x = 0; x < w; x++) {
                                dst[o + x] = a[base + x * ps] & 0xFF;
                            }
                        }
                    }
                    return dst;
                }
                if (db instanceof DataBufferUShort us && bits == 16 && !signed) {
                    short[] a = us.getData();
                    for (int y = 0; y < h; y++) {
                        int base = off + y * ss;
                        int o = y * w;
                        for (int x = 0; x < w; x++) {
                            dst[o + x] = a[base + x * ps] & 0xFFFF;
                        }
                    }
                    return dst;
                }
                if (db instanceof DataBufferFloat fb) {
                    float[] a = fb.getData();
                    for (int y = 0; y < h; y++) {
                        int base = off + y * ss;
                        int o = y * w;
                        for (int x = 0; x < w; x++) {
                            dst[o + x] = a[base + x * ps];
                        }
                    }
                    return dst;
                }
            }
        }
        int x0 = r.getMinX();
        int y0 = r.getMinY();
        if (TiffDecoder.isFloatBuffer(db.getDataType())) {
            double[] v = r.getSamples(x0, y0, w, h, b, (double[]) null);
            for (int i = 0; i < v.length; i++) {
                dst[i] = (float) v[i];
            }
            return dst;
        }
        int[] v = r.getSamples(x0, y0, w, h, b, (int[]) null);
        for (int i = 0; i < v.length; i++) {
            int s = v[i];
            float f;
            if (bits <= 8) {
                f = signed ? (byte) s : s & 0xFF;
            } else if (bits <= 16) {
                f = signed ? (short) s : s & 0xFFFF;
            } else {
                f = signed ? s : s & 0xFFFFFFFFL;
            }
            dst[i] = f;
        }
        return dst;
    }
}
