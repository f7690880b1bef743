package org.zooscope.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;

class UploadPlanesTest {

    @Test
    void readsEachPlaneWhereVolumeJsonSaysItLiesInItsEncoding() {
        // given a 3 x 1 x 2 big-endian 16-bit "file": a header, then the planes back to back
        InMemoryObjectStore store = new InMemoryObjectStore();
        byte[] file = {'h', 'd', 'r', 0, 1, 0, 2, 1, 0, 0, 0, 0, 3, (byte) 0xFF, (byte) 0xFF};
        store.put("uploads/u/source/0-a.raw", file, "application/octet-stream");
        UploadedVolume v = new UploadedVolume("u", "o", 3, 1, 2, "uint16", 0, 65535, null, null, null, null,
                List.of("uploads/u/source/0-a.raw", "uploads/u/source/0-a.raw"), List.of("a.raw"), file.length,
                Instant.EPOCH, List.of(3L, 9L), "uint16be");

        // when volume.json is written and read back, then each plane is read from its offset
        UploadedVolume stored = EventJson.fromBytes(EventJson.toBytes(v), UploadedVolume.class);
        assertThat(UploadPlanes.read(store, stored, 0)).containsExactly(1, 2, 256);
        assertThat(UploadPlanes.read(store, stored, 1)).containsExactly(0, 3, 65535);
    }

    @Test
    void anUploadStoredBeforePlaneEncodingsReadsItsFloat32Planes() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        store.put("uploads/u/planes/0.f32", PlaneCodec.encode(new float[] {1.5f, -2}), "application/octet-stream");
        String json = "{\"uploadId\":\"u\",\"width\":2,\"height\":1,\"depth\":1,\"dataType\":\"float32\","
                + "\"planeKeys\":[\"uploads/u/planes/0.f32\"],\"fileNames\":[\"a.tif\"],\"bytes\":8}";

        UploadedVolume old = EventJson.fromBytes(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                UploadedVolume.class);

        assertThat(UploadPlanes.read(store, old, 0)).containsExactly(1.5f, -2);
    }
}
