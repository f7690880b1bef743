package org.zooscope.gateway.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeHeader;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.config.GatewayProperties;

/**
 * Turns uploaded files (already streamed to disk) into a stored volume: the reader sniffs the format from content,
 * checks the limits from every header before decoding, and rejects bad images with a typed error; then each decoded
 * plane goes to S3 as soon as it is decoded (memory holds one plane at a time), followed by the original files and
 * {@code volume.json}. Blocking: call it off the event loop.
 */
@Component
class UploadIngest {
    private final ObjectStore store;
    private final ReadLimits limits;

    UploadIngest(ObjectStore store, GatewayProperties props) {
        this.store = store;
        this.limits = new ReadLimits(props.upload().maxDecodedBytes(), ReadLimits.DEFAULT_MAX_DEPTH);
    }

    UploadedVolume ingest(String uploadId, String ownerHash, List<Path> files, List<String> names) throws ImageReadException {
        // plane by plane: the decoded stack is never whole in memory, so the heap bounds one plane, not the stack
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        List<String> keys = new ArrayList<>();
        VolumeHeader v;
        try {
            v = VolumeReader.readEach(files, limits, (z, plane) -> {
            for (float f : plane) {
                range[0] = Math.min(range[0], f);
                range[1] = Math.max(range[1], f);
            }
            String key = UploadedVolume.planeKey(uploadId, z);
            store.put(key, PlaneCodec.encode(plane), "application/octet-stream");
            keys.add(key);
            });
        } catch (ImageReadException | RuntimeException e) {
            // a stack refused half-way (a NaN in slice 40, say) leaves no half-stored upload behind
            store.deletePrefix("uploads/" + uploadId + "/");
            throw e;
        }
        int w = v.width();
        int h = v.height();
        double min = range[0];
        double max = range[1];
        long bytes = 0;
        try {
            for (int i = 0; i < files.size(); i++) {
                bytes += Files.size(files.get(i));
                store.put("uploads/" + uploadId + "/source/" + i + "-" + names.get(i), files.get(i), "application/octet-stream");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VoxelSize vs = v.voxelSize();
        boolean known = vs != null && vs.isKnown();
        UploadedVolume meta = new UploadedVolume(uploadId, ownerHash, w, h, v.depth(), v.dataType().name().toLowerCase(),
                min, max, known ? vs.x() : null, known ? vs.y() : null, known ? vs.z() : null, known ? vs.unit() : null,
                keys, names, bytes, Instant.now());
        store.put(UploadedVolume.key(uploadId), EventJson.toBytes(meta), "application/json");
        return meta;
    }
}
