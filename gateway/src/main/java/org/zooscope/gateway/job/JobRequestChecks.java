package org.zooscope.gateway.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetInputRegions;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.limits.Expiry;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.catalog.search.ModelSearch;

/**
 * The checks of a job's body ({@link JobRequest}), one set for {@code POST /api/v1/jobs} and its estimate, each failing
 * with a problem that names the bad input: 400 for a malformed body, 404 for an upload, dataset or model the caller
 * cannot see (a stranger's upload is 404 too: no existence leak), 413/422 for a region the job cannot run on
 * ({@link DatasetJobInputs}).
 */
@Component
class JobRequestChecks {
    static final int MAX_MODELS = 8;

    private final ObjectStore store;
    private final ModelSearch models;
    private final Expiry expiry;

    JobRequestChecks(ObjectStore store, ModelSearch models, Expiry expiry) {
        this.store = store;
        this.models = models;
        this.expiry = expiry;
    }

    /**
     * What a job reads: an upload (the region is all of it), or a region of a hosted dataset (all of it for a full
     * run), whose tiles are cut from the grid of the dataset's whole {@code planeWidth × planeHeight} plane.
     */
    record InputShape(Region region, int planeWidth, int planeHeight, boolean ofDataset, String what,
                      VoxelSize voxelSize) {
    }

    /**
     * A body found good: its settings (defaults filled in), the shape of its input, and each named model's indexed
     * card (with its package key), in the order named.
     */
    record Checked(JobSettings settings, InputShape input, List<Map<String, Object>> models) {
    }

    Checked check(JobRequest body, Caller caller) {
        if (body == null || body.input() == null) {
            throw ApiProblem.badRequest("input is missing: give {\"input\": {\"uploadId\": ...}}");
        }
        String uploadId = body.input().uploadId();
        if (body.input().datasetId() == null && (uploadId == null || uploadId.isBlank())) {
            throw ApiProblem.badRequest("input.uploadId is missing: give {\"input\": {\"uploadId\": ...}} or "
                    + "{\"input\": {\"datasetId\": ..., \"roi\": {...}}}");
        }
        if (body.models() == null || body.models().isEmpty()) {
            throw ApiProblem.badRequest("models is empty: name at least one model id from GET /api/v1/models");
        }
        if (body.models().size() > MAX_MODELS) {
            throw ApiProblem.badRequest("models names " + body.models().size() + " models; at most " + MAX_MODELS
                    + " run in one job");
        }
        Augmentation augmentation;
        try {
            augmentation = body.augmentation() == null ? Augmentation.NONE : Augmentation.parse(body.augmentation());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        double threshold = body.threshold() == null ? JobSettings.DEFAULT_THRESHOLD : body.threshold();
        if (!(threshold >= 0 && threshold <= 1)) {
            throw ApiProblem.badRequest("threshold must be between 0 and 1 but was " + body.threshold());
        }
        VoxelSize stated = null;
        if (body.voxelSize() != null) {
            if (body.input().datasetId() != null) {
                throw ApiProblem.badRequest("voxelSize is for an upload; a dataset has its own (see its card)");
            }
            stated = body.voxelSize().toVoxelSize("voxelSize");
        }
        InputShape input = body.input().datasetId() != null ? dataset(body.input())
                : upload(uploadId, body.input().roi(), caller, stated);
        List<Map<String, Object>> docs = models(body.models(), caller);
        if (body.deadlineSeconds() != null && (body.deadlineSeconds() < 1 || body.deadlineSeconds() > 604800)) {
            throw ApiProblem.badRequest("deadlineSeconds must be between 1 and 604800 but was " + body.deadlineSeconds());
        }
        return new Checked(new JobSettings(body.enhance() == null || body.enhance(), augmentation, threshold,
                body.deadlineSeconds(), body.rescale(), stated), input, docs);
    }

    /** The caller's upload, or some of its slices; 404 when it does not exist or is another's. */
    private InputShape upload(String uploadId, JobRequest.Roi roi, Caller caller, VoxelSize stated) {
        UploadedVolume volume;
        try {
            volume = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(uploadId)), UploadedVolume.class);
        } catch (ObjectStore.NoSuchObjectException e) {
            throw ApiProblem.notFound("upload '" + uploadId + "' does not exist");
        }
        if (!caller.owns(volume.ownerHash())) {
            throw ApiProblem.notFound("upload '" + uploadId + "' does not exist");
        }
        expiry.checkUpload(volume);
        Region slices = UploadSlices.of(roi, volume);
        return new InputShape(slices, volume.width(), volume.height(), false, "upload " + uploadId
                + (roi == null ? "" : " (slices " + slices.z() + ".." + (slices.z() + slices.depth() - 1) + ")"),
                stated != null ? stated : volume.voxelSize());
    }

    /** A region of a hosted dataset, or without one the whole dataset (the region job-stream plans). */
    private InputShape dataset(JobRequest.Input in) {
        DatasetCard card = DatasetJobInputs.check(in, store);
        Region region = DatasetInputRegions.of(DatasetJobInputs.input(in), card);
        return new InputShape(region, card.width(), card.height(), true,
                (in.roi() == null ? "the whole of dataset " : "a region of dataset ") + card.id(), card.voxelSize());
    }

    /** Each named model's indexed card, when the caller may run it; else 404 naming it. */
    private List<Map<String, Object>> models(List<String> ids, Caller caller) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (String m : ids) {
            Map<String, Object> doc = m == null ? null
                    : models.get(m).filter(card -> ModelSearch.visible(card, caller.ownerHash())).orElse(null);
            if (doc == null) {
                throw ApiProblem.notFound("model '" + m + "' is not in the zoo (see GET /api/v1/models)");
            }
            docs.add(doc);
        }
        return docs;
    }
}
