package org.zooscope.gateway.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.PlaneEncoding;
import org.zooscope.core.io.RawPlanes;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.SliceSource;
import org.zooscope.core.io.VolumeHeader;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.store.StoredObjectSource;
import org.zooscope.core.store.UploadPlanes;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.config.GatewayProperties;

/**
 * Turns an upload's files, already streamed to S3, into a stored volume whose pixels are kept once, in their own type.
 * The reader sniffs the format from content and checks every header and the limits before any pixel is read. Files
 * whose planes lie uncompressed and contiguous (plain TIFF, MRC) <em>are</em> the stored volume: their planes are read
 * in place, one ranged GET each, for the value range and the float checks, and nothing else is written. Other files
 * (PNG, compressed TIFF) are decoded plane by plane, each plane stored in the volume's own type
 * ({@link PlaneEncoding#storing}), and then deleted. Memory holds one plane at a time; {@code volume.json} is written
 * last. Blocking: call it off the event loop.
 */
@Component
class UploadIngest {
    private final ObjectStore store;
    private final ReadLimits limits;
    private final java.time.Clock clock;
    /** The in-place check's plane reads: blocking S3 GETs, on the threads meant for blocking work. */
    private final Executor reads = task -> reactor.core.scheduler.Schedulers.boundedElastic().schedule(task);

    UploadIngest(ObjectStore store, GatewayProperties props, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
        this.limits = new ReadLimits(props.upload().maxDecodedBytes(), ReadLimits.DEFAULT_MAX_DEPTH);
    }

    /** Where the i-th original file of an upload is kept, byte for byte, while it is ingested (and after, when read in place). */
    static String sourceKey(String uploadId, int index, String name) {
        return StorageKeys.Uploads.source(uploadId, index, name);
    }

    /** The value range over all planes, updated plane by plane. */
    private static final class Range {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(float[] plane) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float f : plane) {
                if (f < lo) {
                    lo = f;
                }
                if (f > hi) {
                    hi = f;
                }
            }
            min = Math.min(min, lo);
            max = Math.max(max, hi);
        }
    }

    /**
     * @param files the stack's files in order, as stored under {@link #sourceKey}; their names are the user's
     * @param bytes the size of the original files together
     */
    UploadedVolume ingest(String uploadId, String ownerHash, List<UploadSession.Stored> files, long bytes)
            throws ImageReadException {
        List<SliceSource> sources = files.stream().map(s -> StoredObjectSource.slice(store, s.key(), s.name())).toList();
        Range range = new Range();
        List<String> keys = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        VolumeHeader v;
        PlaneEncoding encoding;
        try {
            v = VolumeReader.checkHeaders(sources, limits);
            Optional<RawPlanes> raw = VolumeReader.rawPlanes(sources, limits);
            if (raw.isPresent()) {
                encoding = raw.get().encoding();
                checkInPlace(v, files, raw.get(), range, keys, offsets);
            } else {
                encoding = PlaneEncoding.storing(v.dataType());
                VolumeReader.readEachSource(sources, limits, (z, plane) -> {
                    range.add(plane);
                    String key = StorageKeys.Uploads.plane(uploadId, z, encoding.name());
                    store.put(key, encoding.encode(plane), "application/octet-stream");
                    keys.add(key);
                    offsets.add(0L);
                });
                // the decoded planes are the volume now: the files they came from would only hold it twice
                store.deletePrefix(StorageKeys.Uploads.sources(uploadId));
            }
        } catch (ImageReadException | RuntimeException e) {
            // a stack refused half-way (a NaN in slice 40, say) leaves no half-stored upload behind
            store.deletePrefix(StorageKeys.Uploads.prefix(uploadId));
            throw e;
        }
        VoxelSize vs = v.voxelSize();
        boolean known = vs != null && vs.isKnown();
        UploadedVolume meta = new UploadedVolume(uploadId, ownerHash, v.width(), v.height(), v.depth(),
                v.dataType().name().toLowerCase(), range.min, range.max, known ? vs.x() : null, known ? vs.y() : null,
                known ? vs.z() : null, known ? vs.unit() : null, keys, files.stream().map(UploadSession.Stored::name).toList(),
                bytes, clock.instant(), offsets, encoding.name());
        store.put(StorageKeys.Uploads.volume(uploadId), EventJson.toBytes(meta), "application/json");
        return meta;
    }

    /**
     * Reads each plane where it lies (one ranged GET each) for the range and the float checks, the next plane's GET in
     * flight while this one is decoded and checked: the S3 server's reading and sending then overlap the gateway's
     * work, which had waited for each other plane by plane. Two plane buffers, used in turn.
     */
    private void checkInPlace(VolumeHeader v, List<UploadSession.Stored> files, RawPlanes raw, Range range,
                              List<String> keys, List<Long> offsets) throws ImageReadException {
        int samples = v.width() * v.height();
        int planeBytes = Math.multiplyExact(samples, raw.encoding().bytesPerSample());
        byte[][] buffers = {new byte[planeBytes], raw.planes().size() > 1 ? new byte[planeBytes] : null};
        float[] plane = new float[samples];
        CompletableFuture<byte[]> next = fetch(files, raw, 0, buffers[0], planeBytes);
        for (int z = 0; z < raw.planes().size(); z++) {
            byte[] bytes = joined(next);
            if (z + 1 < raw.planes().size()) {
                next = fetch(files, raw, z + 1, buffers[(z + 1) % 2], planeBytes);
            }
            RawPlanes.Location at = raw.planes().get(z);
            UploadSession.Stored file = files.get(at.file());
            raw.encoding().decode(bytes, 0, plane, samples);
            try {
                VolumeReader.checkSamples(v, plane, file.name(), z);
            } catch (ImageReadException e) {
                next.handle((b, failed) -> null).join(); // its buffer is not reused, but its GET ends before we answer
                throw e;
            }
            range.add(plane);
            keys.add(file.key());
            offsets.add(at.offset());
        }
    }

    /** The read's own failure, as the reading thread threw it (not wrapped). */
    private static byte[] joined(CompletableFuture<byte[]> read) {
        try {
            return read.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private CompletableFuture<byte[]> fetch(List<UploadSession.Stored> files, RawPlanes raw, int z, byte[] into,
                                            int planeBytes) {
        RawPlanes.Location at = raw.planes().get(z);
        String key = files.get(at.file()).key();
        return CompletableFuture.supplyAsync(() -> {
            UploadPlanes.read(store, key, at.offset(), into, planeBytes);
            return into;
        }, reads);
    }
}
