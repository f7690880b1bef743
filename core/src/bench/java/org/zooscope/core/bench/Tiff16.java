package org.zooscope.core.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.zooscope.core.volume.Volume;

/** A minimal uncompressed little-endian uint16 multi-page TIFF writer for benchmark input only. */
final class Tiff16 {

    private Tiff16() {
    }

    static void write(Volume v, OutputStream out) throws IOException {
        int w = v.width();
        int h = v.height();
        int entries = 9;
        int ifdSize = 2 + entries * 12 + 4;
        long planeBytes = 2L * w * h;
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        out.write(head.array());
        long pos = 8;
        float[] p = new float[w * h];
        for (int z = 0; z < v.depth(); z++) {
            long data = pos + ifdSize;
            long next = z == v.depth() - 1 ? 0 : data + planeBytes;
            ByteBuffer ifd = ByteBuffer.allocate(ifdSize).order(ByteOrder.LITTLE_ENDIAN);
            ifd.putShort((short) entries);
            entry(ifd, 256, 4, w);
            entry(ifd, 257, 4, h);
            entry(ifd, 258, 3, 16);
            entry(ifd, 259, 3, 1);
            entry(ifd, 262, 3, 1);
            entry(ifd, 273, 4, (int) data);
            entry(ifd, 277, 3, 1);
            entry(ifd, 278, 4, h);
            entry(ifd, 279, 4, (int) planeBytes);
            ifd.putInt((int) next);
            out.write(ifd.array());
            v.copyPlane(z, p);
            ByteBuffer b = ByteBuffer.allocate((int) planeBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : p) {
                b.putShort((short) Math.round(f));
            }
            out.write(b.array());
            pos = data + planeBytes;
        }
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }
}
