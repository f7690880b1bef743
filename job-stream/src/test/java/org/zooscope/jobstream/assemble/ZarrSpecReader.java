package org.zooscope.jobstream.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Function;
import org.zooscope.core.events.EventJson;

/**
 * Reads a 3D float32 Zarr v2 array straight from the specification (https://zarr-specs.readthedocs.io, v2): the
 * {@code .zarray} metadata, chunk keys joined by the dimension separator, little-endian {@code <f4}, C order,
 * uncompressed, edge chunks padded to the full chunk shape. Independent of core's OmeZarr, so a test can check what
 * another Zarr reader would see; a missing chunk fails (the arrays are written dense).
 */
final class ZarrSpecReader {
    private ZarrSpecReader() {
    }

    /** The array's planes, z by z, each {@code height × width}, from {@code get(key)} relative to the array. */
    static float[][] read(Function<String, byte[]> get) throws java.io.IOException {
        JsonNode meta = EventJson.mapper().readTree(get.apply(".zarray"));
        if (meta.get("zarr_format").asInt() != 2 || !meta.get("dtype").asText().equals("<f4") || !meta.get("compressor").isNull()
                || !meta.get("order").asText().equals("C")) {
            throw new IllegalArgumentException("not an uncompressed little-endian float32 C-order Zarr v2 array: " + meta);
        }
        int d = meta.at("/shape/0").asInt();
        int h = meta.at("/shape/1").asInt();
        int w = meta.at("/shape/2").asInt();
        int cz = meta.at("/chunks/0").asInt();
        int cy = meta.at("/chunks/1").asInt();
        int cx = meta.at("/chunks/2").asInt();
        String sep = meta.has("dimension_separator") ? meta.get("dimension_separator").asText() : ".";
        float[][] planes = new float[d][h * w];
        for (int iz = 0; iz * cz < d; iz++) {
            for (int iy = 0; iy * cy < h; iy++) {
                for (int ix = 0; ix * cx < w; ix++) {
                    byte[] chunk = get.apply(iz + sep + iy + sep + ix);
                    if (chunk.length != cz * cy * cx * 4) {
                        throw new IllegalArgumentException("chunk " + iz + sep + iy + sep + ix + " holds " + chunk.length + " bytes");
                    }
                    ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
                    for (int z = 0; z < cz; z++) {
                        for (int y = 0; y < cy; y++) {
                            for (int x = 0; x < cx; x++) {
                                float v = b.getFloat();
                                int gz = iz * cz + z;
                                int gy = iy * cy + y;
                                int gx = ix * cx + x;
                                if (gz < d && gy < h && gx < w) {
                                    planes[gz][gy * w + gx] = v;
                                }
                            }
                        }
                    }
                }
            }
        }
        return planes;
    }
}
