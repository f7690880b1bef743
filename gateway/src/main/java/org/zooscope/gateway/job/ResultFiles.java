package org.zooscope.gateway.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * A finished job's results as files: each named result with its size, and a folder result (the OME-Zarr, whose key
 * ends in {@code /}) expanded into the objects under it. One listing of the results prefix answers every size, and a
 * named result that is not stored is found here, before a download has started, not half-way through it.
 */
@Component
class ResultFiles {
    static final String OME_ZARR = "probabilities.ome.zarr";

    /**
     * One file: its name in downloads and in the bundle ({@code folder/inner/path} for a folder's objects); a file
     * rendered when asked for (an overlay) has no key and no size until then.
     */
    record File(String name, String key, long bytes) {
        static File rendered(String name) {
            return new File(name, null, -1);
        }

        boolean isRendered() {
            return key == null;
        }
    }

    private final ObjectStore store;
    private final SliceImages images;

    ResultFiles(ObjectStore store, SliceImages images) {
        this.store = store;
        this.images = images;
    }

    /**
     * Every file of the job's results, in the order the results are named, folders expanded, then the overlays the
     * gateway renders when asked for. Blocking.
     */
    List<File> files(JobStatus s) {
        Map<String, String> results = s.results() == null ? Map.of() : s.results();
        if (results.isEmpty()) {
            return List.of();
        }
        SortedMap<String, Long> stored = store.sizes(commonPrefix(results.values()));
        List<File> files = new ArrayList<>();
        results.forEach((name, key) -> {
            if (key.endsWith("/")) {
                stored.subMap(key, key + Character.MAX_VALUE).forEach((k, n) ->
                        files.add(new File(name + "/" + k.substring(key.length()), k, n)));
            } else {
                Long n = stored.get(key);
                if (n == null) {
                    throw new ApiProblem(HttpStatus.GONE, "result '" + name + "' of job '" + s.jobId()
                            + "' is no longer stored");
                }
                files.add(new File(name, key, n));
            }
        });
        images.overlayNames(s).forEach(name -> files.add(File.rendered(name)));
        return files;
    }

    /** The objects of a folder result (e.g. the OME-Zarr), relative to it, with their sizes. Blocking. */
    SortedMap<String, Long> folder(String prefix) {
        SortedMap<String, Long> out = new java.util.TreeMap<>();
        store.sizes(prefix).forEach((k, n) -> out.put(k.substring(prefix.length()), n));
        return out;
    }

    /** The longest common prefix of the keys, cut back to a whole folder. */
    static String commonPrefix(Iterable<String> keys) {
        String prefix = null;
        for (String k : keys) {
            if (prefix == null) {
                prefix = k;
            } else {
                int i = 0;
                while (i < prefix.length() && i < k.length() && prefix.charAt(i) == k.charAt(i)) {
                    i++;
                }
                prefix = prefix.substring(0, i);
            }
        }
        return prefix == null ? "" : prefix.substring(0, prefix.lastIndexOf('/') + 1);
    }
}
