package org.zooscope.core.store;

import java.util.List;

/**
 * Where everything lives in the bucket: the one place object keys are built (hosted datasets have theirs in
 * {@link org.zooscope.core.dataset.DatasetKeys}). Every service reads and writes through these, so a layout change
 * is made once. The README's "S3 layout" table describes the same keys.
 */
public final class StorageKeys {
    private StorageKeys() {
    }

    /**
     * {@code uploads/{id}/}: the pixels, stored once (the original files when their planes can be read in place, else
     * the planes decoded from them), and the volume's description.
     */
    public static final class Uploads {
        private Uploads() {
        }

        public static final String ROOT = "uploads/";
        /** The name of an upload's description under its prefix. */
        public static final String VOLUME = "volume.json";

        public static String prefix(String uploadId) {
            return ROOT + uploadId + "/";
        }

        /** The {@link org.zooscope.core.events.UploadedVolume} (written last: an upload without it does not exist). */
        public static String volume(String uploadId) {
            return prefix(uploadId) + VOLUME;
        }

        /**
         * Plane {@code z} decoded from a file that cannot be read in place, raw samples in {@code encoding} (a
         * {@link org.zooscope.core.io.PlaneEncoding} name: {@code planes/3.uint16le}).
         */
        public static String plane(String uploadId, int z, String encoding) {
            return prefix(uploadId) + "planes/" + z + "." + encoding;
        }

        /** A float32 plane {@code z} (see {@link #plane(String, int, String)}). */
        public static String plane(String uploadId, int z) {
            return plane(uploadId, z, "float32le");
        }

        /**
         * The {@code index}-th uploaded file as sent (its name sanitised by the caller): kept when its planes are read
         * in place, deleted once decoded otherwise.
         */
        public static String source(String uploadId, int index, String name) {
            return sources(uploadId) + index + "-" + name;
        }

        /** Where an upload's files as sent are. */
        public static String sources(String uploadId) {
            return prefix(uploadId) + "source/";
        }
    }

    /** {@code jobs/{id}/}: a job's request, its scratch objects while it runs, and its results. */
    public static final class Jobs {
        private Jobs() {
        }

        public static final String ROOT = "jobs/";
        /** The name of a job's accepted request under its prefix. */
        public static final String REQUEST = "request.json";

        public static String prefix(String jobId) {
            return ROOT + jobId + "/";
        }

        /** The request as accepted (owner and share hashes), for the gateway's own checks. */
        public static String request(String jobId) {
            return prefix(jobId) + REQUEST;
        }

        /**
         * Present once the job was cancelled: job-stream's guard for its own assembly stage, which cannot see the
         * job's state (workers read cancellations from the control topic).
         */
        public static String cancelMarker(String jobId) {
            return prefix(jobId) + "CANCELLED";
        }

        /** A model-ready input slice, enhanced: float32. */
        public static String enhancedInput(String jobId, int z) {
            return input(jobId, z, org.zooscope.core.io.PlaneEncoding.FLOAT32_LE);
        }

        /**
         * A model-ready input slice in {@code encoding}, which its key names: enhanced ones are float32
         * ({@code input/3.f32}), the input's own values keep their sample type ({@code input/3.uint8le}: a quarter of
         * the bytes for every reader). {@link PlaneCodec#decode(String, byte[], int)} reads either.
         */
        public static String input(String jobId, int z, org.zooscope.core.io.PlaneEncoding encoding) {
            return prefix(jobId) + "input/" + z + "." + (encoding.equals(org.zooscope.core.io.PlaneEncoding.FLOAT32_LE)
                    ? PlaneCodec.FLOAT32_SUFFIX : encoding.name());
        }

        /**
         * A model-ready input slice resampled to {@code size} for the models trained at another pixel size (every model
         * of the job that runs on that size reads the same copy); under {@code input/}, so it goes with the job's scratch.
         */
        public static String resampledInput(String jobId, org.zooscope.core.rescale.PlaneSize size, int z) {
            return prefix(jobId) + "input/resampled-" + size.width() + "x" + size.height() + "/" + z + ".f32";
        }

        /** One model's output for one tile of one slice, float32: the part stitching reads (TileGrid.stitchPart), not the halo. */
        public static String tile(String jobId, String modelId, int z, int tileIndex) {
            return prefix(jobId) + "tiles/" + modelId + "/" + z + "/" + tileIndex + ".f32";
        }

        /** Stitched per-slice planes, written by the slice assembly and read by the final one. */
        public static String stitched(String jobId) {
            return prefix(jobId) + "stitched/";
        }

        /** A job's intermediate objects: kept while the job may need them and for its retention after it ends. */
        public static List<String> scratch(String jobId) {
            return List.of(prefix(jobId) + "tiles/", stitched(jobId), prefix(jobId) + "input/");
        }

        public static String results(String jobId) {
            return prefix(jobId) + "results/";
        }

        /** A recommendation ("which model fits?") that runs as this job: its models, and their scores once known. */
        public static String recommendation(String jobId) {
            return prefix(jobId) + "recommendation.json";
        }

        /** A result of one model, by name under the results (e.g. {@code probabilities.tif}). */
        public static String modelResult(String modelId, String name) {
            return "models/" + modelId + "/" + name;
        }
    }

    /** {@code models/{id}/{version}/}: a published bioimage.io package, unpacked. */
    public static final class Models {
        private Models() {
        }

        public static String prefix(String modelId, String version) {
            return "models/" + modelId + "/" + version + "/";
        }
    }

    /** {@code shares/}: share-link changes (revocations), one object per job. */
    public static final class Shares {
        private Shares() {
        }

        public static final String PREFIX = "shares/";
    }
}
