package org.zooscope.gateway.upload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.SliceSource;
import org.zooscope.core.io.VolumeHeader;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.config.GatewayProperties;

/**
 * Turns an upload's files into a stored volume: the reader sniffs the format from content, checks the limits from
 * every header before decoding, and rejects bad images with a typed error; then each decoded plane goes to S3 as soon
 * as it is decoded (memory holds one plane at a time), followed by {@code volume.json}. The files may be local (a
 * bundled sample) or already in S3 (a multipart upload, read back by ranges). Blocking: call it off the event loop.
 */
@Component
class UploadIngest {
    private final ObjectStore store;
    private final ReadLimits limits;
    private final java.time.Clock clock;

    UploadIngest(ObjectStore store, GatewayProperties props, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
        this.limits = new ReadLimits(props.upload().maxDecodedBytes(), ReadLimits.DEFAULT_MAX_DEPTH);
    }

    /** Where the i-th original file of an upload is kept, byte for byte. */
    static String sourceKey(String uploadId, int index, String name) {
        return StorageKeys.Uploads.source(uploadId, index, name);
    }

    /**
     * @param files the stack's files in order; their names are the user's file names
     * @param bytes the size of the original files together
     */
    UploadedVolume ingest(String uploadId, String ownerHash, List<SliceSource> files, long bytes)
            throws ImageReadException {
        // plane by plane: the decoded stack is never whole in memory, so the heap bounds one plane, not the stack
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        List<String> keys = new ArrayList<>();
        VolumeHeader v;
        try {
            v = VolumeReader.readEachSource(files, limits, (z, plane) -> {
                for (float f : plane) {
                    range[0] = Math.min(range[0], f);
                    range[1] = Math.max(range[1], f);
                }
                String key = StorageKeys.Uploads.plane(uploadId, z);
                store.put(key, PlaneCodec.encode(plane), "application/octet-stream");
                keys.add(key);
            });
        } catch (ImageReadException | RuntimeException e) {
            // a stack refused half-way (a NaN in slice 40, say) leaves no half-stored upload behind
            store.deletePrefix(StorageKeys.Uploads.prefix(uploadId));
            throw e;
        }
        VoxelSize vs = v.voxelSize();
        boolean known = vs != null && vs.isKnown();
        UploadedVolume meta = new UploadedVolume(uploadId, ownerHash, v.width(), v.height(), v.depth(),
                v.dataType().name().toLowerCase(), range[0], range[1], known ? vs.x() : null, known ? vs.y() : null,
                known ? vs.z() : null, known ? vs.unit() : null, keys, files.stream().map(SliceSource::name).toList(),
                bytes, clock.instant());
        store.put(StorageKeys.Uploads.volume(uploadId), EventJson.toBytes(meta), "application/json");
        return meta;
    }
}
