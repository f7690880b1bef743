package org.zooscope.gateway.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.Volume;
import org.zooscope.gateway.config.GatewayProperties;

/**
 * Result TIFFs decoded for the viewer, kept in a small least-recently-used cache: scrolling through z asks for the
 * same volume many times in a row. Volumes above the cache's budget are read but not kept, so the heap stays bounded.
 */
@Component
public class ResultVolumes {
    private static final long BUDGET_BYTES = 64L << 20;

    private final ObjectStore store;
    private final Path tmp;
    private final Map<String, Volume> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    ResultVolumes(ObjectStore store, GatewayProperties props) {
        this.store = store;
        this.tmp = Path.of(props.upload().tempDir()).resolveSibling("viewer");
    }

    /** The volume stored at this S3 key. Blocking. */
    public Volume get(String key) {
        synchronized (cache) {
            Volume v = cache.get(key);
            if (v != null) {
                return v;
            }
        }
        Volume v = read(key);
        long bytes = v.sampleCount() * Float.BYTES;
        if (bytes <= BUDGET_BYTES / 2) {
            synchronized (cache) {
                if (cache.put(key, v) == null) {
                    cachedBytes += bytes;
                }
                var it = cache.entrySet().iterator();
                while (cachedBytes > BUDGET_BYTES && it.hasNext()) {
                    cachedBytes -= it.next().getValue().sampleCount() * Float.BYTES;
                    it.remove();
                }
            }
        }
        return v;
    }

    private Volume read(String key) {
        try {
            Files.createDirectories(tmp);
            Path file = Files.createTempFile(tmp, "result", ".tif");
            try (InputStream in = store.open(key)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return VolumeReader.read(file, ReadLimits.defaults());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read result " + key, e);
        } catch (ImageReadException e) {
            throw new IllegalStateException("stored result " + key + " is not readable: " + e.getMessage(), e);
        }
    }
}
