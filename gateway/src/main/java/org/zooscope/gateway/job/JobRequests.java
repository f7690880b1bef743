package org.zooscope.gateway.job;

import java.util.Optional;
import org.springframework.stereotype.Component;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.dataset.DatasetReader;
import org.zooscope.core.dataset.DatasetInputRegions;
import org.zooscope.core.events.Region;
import org.zooscope.core.store.UploadPlanes;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.store.ObjectStore;

/**
 * What was asked of a job ({@code jobs/<id>/request.json}, written at submit) and the upload it reads: the viewer
 * needs both for the input planes and the run's settings.
 */
@Component
class JobRequests {
    private final ObjectStore store;

    JobRequests(ObjectStore store) {
        this.store = store;
    }

    static String key(String jobId) {
        return org.zooscope.core.store.StorageKeys.Jobs.request(jobId);
    }

    /** The request and its upload, when both are stored. */
    Optional<Input> find(String jobId) {
        try {
            JobRequested req = EventJson.fromBytes(store.get(key(jobId)), JobRequested.class);
            if (req.input().isDataset()) {
                DatasetReader reader = new DatasetReader(store, req.input().datasetId());
                Region roi = DatasetInputRegions.of(req.input(), reader.card());
                // the region's shape, as an upload's; its planes are read from the dataset
                UploadedVolume volume = DatasetInputRegions.shape(req, reader.card(), roi, 0, 0);
                Volume planes = reader.region(roi);
                return Optional.of(new Input(req, volume, z -> {
                    float[] p = new float[roi.width() * roi.height()];
                    planes.copyPlane(z, p);
                    return p;
                }));
            }
            UploadedVolume upload = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(req.input().uploadId())),
                    UploadedVolume.class);
            // a job over some of the upload's slices: its result's slice z is the upload's roi.z + z
            UploadedVolume volume = req.input().resultShape(upload);
            return Optional.of(new Input(req, volume, z -> UploadPlanes.read(store, volume, z)));
        } catch (ObjectStore.NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /** The request, its input's shape, and its input slices (an upload's planes, or a dataset region's). */
    record Input(JobRequested request, UploadedVolume volume, java.util.function.IntFunction<float[]> planes) {
        float[] plane(int z) {
            return planes.apply(z);
        }
    }
}
