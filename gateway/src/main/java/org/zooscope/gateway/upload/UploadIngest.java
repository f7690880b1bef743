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
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.config.GatewayProperties;

/**
 * Turns uploaded files (already streamed to disk) into a stored volume: the reader sniffs the format from content,
 * checks the limits from the header before decoding, and rejects bad images with a typed error; then the decoded
 * planes, the original files and {@code volume.json} go to S3. Blocking: call it off the event loop.
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
        Volume v = files.size() == 1 ? VolumeReader.read(files.get(0), limits) : VolumeReader.readSlices(files, limits);
        int w = v.width();
        int h = v.height();
        float[] plane = new float[w * h];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        List<String> keys = new ArrayList<>();
        for (int z = 0; z < v.depth(); z++) {
            v.copyPlane(z, plane);
            for (float f : plane) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            String key = UploadedVolume.planeKey(uploadId, z);
            store.put(key, PlaneCodec.encode(plane), "application/octet-stream");
            keys.add(key);
        }
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
