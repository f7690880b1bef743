package org.zooscope.gateway.job;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.dataset.DatasetInputRegions;
import org.zooscope.core.dataset.DatasetReader;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.limits.JobLedger;
import org.zooscope.core.events.JobStatus;

/**
 * The {@link JobLedger} over the status cache and each job's stored request ({@code jobs/{id}/request.json}). What a
 * job asked for never changes, so it is read at most once per gateway (jobs submitted here are recorded at submit).
 */
@Component
class StoredJobLedger implements JobLedger {
    /** What a job asked for: voxels × models, and the upload it reads (null: a dataset). */
    record Asked(long voxels, String uploadId) {
    }

    private final JobStatusCache statuses;
    private final ObjectStore store;
    private final Map<String, Asked> asked = new ConcurrentHashMap<>();

    StoredJobLedger(JobStatusCache statuses, ObjectStore store) {
        this.statuses = statuses;
        this.store = store;
    }

    /** A job submitted here: what it asked for is known without reading it back. */
    void record(String jobId, long voxels, String uploadId) {
        asked.put(jobId, new Asked(voxels, uploadId));
    }

    @Override
    public Collection<JobStatus> all() {
        return statuses.all();
    }

    @Override
    public List<JobStatus> ofOwner(String ownerHash) {
        return statuses.all().stream().filter(s -> ownerHash.equals(s.ownerHash())).toList();
    }

    @Override
    public long voxels(String jobId) {
        return asked(jobId).voxels();
    }

    @Override
    public Optional<String> uploadOf(String jobId) {
        return Optional.ofNullable(asked(jobId).uploadId());
    }

    private Asked asked(String jobId) {
        return asked.computeIfAbsent(jobId, this::read);
    }

    private Asked read(String jobId) {
        try {
            JobRequested r = EventJson.fromBytes(store.get(JobRequests.key(jobId)), JobRequested.class);
            int models = r.models() == null ? 1 : r.models().size();
            if (r.input().isDataset()) {
                DatasetReader reader = new DatasetReader(store, r.input().datasetId());
                return new Asked(DatasetInputRegions.of(r.input(), reader.card()).voxels() * models, null);
            }
            String uploadId = r.input().uploadId();
            try {
                UploadedVolume v = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(uploadId)), UploadedVolume.class);
                return new Asked((long) v.width() * v.height() * v.depth() * models, uploadId);
            } catch (ObjectStore.NoSuchObjectException e) {
                return new Asked(0, uploadId);
            }
        } catch (ObjectStore.NoSuchObjectException e) {
            return new Asked(0, null);
        }
    }
}
