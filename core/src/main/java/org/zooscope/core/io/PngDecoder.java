package org.zooscope.core.io;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.zooscope.core.io.ImageReadException.Kind;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;

/**
 * PNG reader. The header (IHDR) and the chunk chain are checked before decoding, so a decompression bomb is refused
 * from its declared size and a cut-off file is reported as truncated. Grey (1–16 bit) keeps its stored values, grey +
 * alpha uses grey, RGB(A) becomes Rec. 601 luma (rounded; exact for grey saved as RGB), palette images become the
 * luma of their palette colours. PNG carries no trustworthy physical pixel size, so the voxel size is unknown.
 * Package-private.
 */
final class PngDecoder implements FormatDecoder {

    private final FileBytes f;
    private final String name;
    private final VolumeHeader header;

    PngDecoder(FileBytes f, String name) throws ImageReadException, IOException {
        this.f = f;
        this.name = name;
        if (f.size() < 33) {
            throw new ImageReadException(Kind.TRUNCATED, name, null, null, f.size(), "the PNG header is incomplete",
                    null);
        }
        ByteBuffer h = f.read(8, 25, ByteOrder.BIG_ENDIAN);
        int len = h.getInt(0);
        if (len != 13 || h.get(4) != 'I' || h.get(5) != 'H' || h.get(6) != 'D' || h.get(7) != 'R') {
            throw new ImageReadException(Kind.CORRUPT, name, null, "the PNG does not start with an IHDR chunk");
        }
        long w = h.getInt(8) & 0xFFFFFFFFL;
        long hh = h.getInt(12) & 0xFFFFFFFFL;
        int bitDepth = h.get(16) & 0xFF;
        int colorType = h.get(17) & 0xFF;
        if (w < 1 || hh < 1 || w > Integer.MAX_VALUE || hh > Integer.MAX_VALUE) {
            throw new ImageReadException(Kind.CORRUPT, name, null, "invalid PNG size " + w + "x" + hh);
        }
        DataType type = bitDepth == 16 && colorType != 3 ? DataType.UINT16 : DataType.UINT8;
        this.header = new VolumeHeader(ImageFormat.PNG, (int) w, (int) hh, 1, type, VoxelSize.unknown());
    }

    @Override
    public VolumeHeader header() {
        return header;
    }

    @Override
    public void checkComplete() throws ImageReadException {
        long pos = 8;
        try {
            while (true) {
                if (pos + 8 > f.size()) {
                    throw new ImageReadException(Kind.TRUNCATED, name, 0, null, f.size(),
                            "the PNG ends before its IEND chunk", null);
                }
                ByteBuffer c = f.read(pos, 8, ByteOrder.BIG_ENDIAN);
                long len = c.getInt(0) & 0xFFFFFFFFL;
                boolean iend = c.get(4) == 'I' && c.get(5) == 'E' && c.get(6) == 'N' && c.get(7) == 'D';
                long end = pos + 12 + len;
                if (end > f.size()) {
                    throw new ImageReadException(Kind.TRUNCATED, name, 0, end, f.size(),
                            "a PNG chunk ends past the end of the file", null);
                }
                if (iend) {
                    return;
                }
                pos = end;
            }
        } catch (IOException e) {
            throw new ImageReadException(Kind.TRUNCATED, name, 0, null, f.size(), "cannot walk the PNG chunks", e);
        }
    }

    @Override
    public void decodeEach(PlaneSink sink, boolean paletteIndices) throws ImageReadException, IOException {
        sink.accept(0, decodePlane(paletteIndices));
    }

    private float[] decodePlane(boolean paletteIndices) throws ImageReadException, IOException {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("png");
        if (!it.hasNext()) {
            throw new IllegalStateException("no PNG reader in this JVM");
        }
        ImageReader reader = it.next();
        BufferedImage img;
        try (ImageInputStream in = f.imageStream()) {
            reader.setInput(in, true, true);
            img = reader.read(0);
        } catch (EOFException e) {
            throw new ImageReadException(Kind.TRUNCATED, name, 0, null, null, "the PNG data ends early", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageReadException(Kind.CORRUPT, name, 0, null, null, "cannot decode PNG: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
        float[] dst = new float[header.width() * header.height()];
        Raster r = img.getRaster();
        if (img.getColorModel() instanceof IndexColorModel icm && !paletteIndices) {
            int n = icm.getMapSize();
            int[] cmap = new int[3 * n];
            for (int i = 0; i < n; i++) {
                cmap[i] = icm.getRed(i) * 257;
                cmap[n + i] = icm.getGreen(i) * 257;
                cmap[2 * n + i] = icm.getBlue(i) * 257;
            }
            RasterPlanes.toPlane(r, 8, false, 3, cmap, header.dataType(), dst);
        } else {
            int bits = img.getColorModel().getComponentSize(0);
            int photometric = r.getNumBands() >= 3 ? 2 : 1;
            RasterPlanes.toPlane(r, bits, false, photometric, null, header.dataType(), dst);
        }
        return dst;
    }
}
