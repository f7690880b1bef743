package org.zooscope.gateway.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.indexer.search.ModelSearch;

/**
 * The checks of a job's body ({@link JobRequest}), shared by {@code POST /api/v1/jobs} and its estimate, each failing
 * with a problem that names the bad input: 400 for a malformed body, 404 for an upload, dataset or model the caller
 * cannot see (a stranger's upload is 404 too: no existence leak), 422 for one the job cannot run on.
 */
@Component
class JobRequestChecks {
    static final int MAX_MODELS = 8;

    private final ObjectStore store;
    private final ModelSearch models;

    JobRequestChecks(ObjectStore store, ModelSearch models) {
        this.store = store;
        this.models = models;
    }

    /** The size of what a job reads: an upload, a dataset's region, or a whole dataset. */
    record InputShape(int width, int height, int depth, String what) {
    }

    /** The settings the body asks for (defaults filled in), once the model list's length is right. */
    JobSettings settings(JobRequest body) {
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
        if (body.deadlineSeconds() != null && (body.deadlineSeconds() < 1 || body.deadlineSeconds() > 604800)) {
            throw ApiProblem.badRequest("deadlineSeconds must be between 1 and 604800 but was " + body.deadlineSeconds());
        }
        return new JobSettings(body.enhance() == null || body.enhance(), augmentation, threshold, body.deadlineSeconds());
    }

    /** The caller's upload; 404 when it does not exist or is another's. */
    UploadedVolume upload(String uploadId, Caller caller) {
        UploadedVolume volume;
        try {
            volume = EventJson.fromBytes(store.get(UploadedVolume.key(uploadId)), UploadedVolume.class);
        } catch (ObjectStore.NoSuchObjectException e) {
            throw ApiProblem.notFound("upload '" + uploadId + "' does not exist");
        }
        if (!caller.owns(volume.ownerHash())) {
            throw ApiProblem.notFound("upload '" + uploadId + "' does not exist");
        }
        return volume;
    }

    /** Each named model's indexed card (with its package key), when the caller may run it; else 404 naming it. */
    List<Map<String, Object>> models(List<String> ids, Caller caller) {
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

    /** The input's shape: an upload of the caller's, a region of a hosted dataset, or (no region) the whole of one. */
    InputShape input(JobRequest.Input input, Caller caller) {
        if (input == null) {
            throw ApiProblem.badRequest("input is missing: give {\"input\": {\"uploadId\": ...}} or {\"input\": "
                    + "{\"datasetId\": ..., \"roi\": {...}}}");
        }
        boolean upload = input.uploadId() != null && !input.uploadId().isBlank();
        boolean dataset = input.datasetId() != null && !input.datasetId().isBlank();
        if (upload && dataset) {
            throw ApiProblem.badRequest("input names both uploadId and datasetId; give one");
        }
        if (upload) {
            UploadedVolume v = upload(input.uploadId(), caller);
            return new InputShape(v.width(), v.height(), v.depth(), "upload " + input.uploadId());
        }
        if (!dataset) {
            throw ApiProblem.badRequest("input.uploadId or input.datasetId is missing");
        }
        DatasetCard card = dataset(input.datasetId());
        if (input.roi() == null) {
            return new InputShape(card.width(), card.height(), card.depth(), "the whole of dataset " + card.id());
        }
        Region roi = region(input.roi());
        String problem = roi.problemWithin(card.width(), card.height(), card.depth());
        if (problem != null) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "input.roi: " + problem + " of dataset " + card.id());
        }
        return new InputShape(roi.width(), roi.height(), roi.depth(), "a region of dataset " + card.id());
    }

    /** A hosted dataset's card; 400 for an id that cannot be one, 404 for one not hosted. */
    DatasetCard dataset(String datasetId) {
        if (!DatasetKeys.isValidId(datasetId)) {
            throw ApiProblem.badRequest("datasetId '" + datasetId + "' is not a dataset id (1-63 lower-case letters, digits"
                    + " or dashes; see GET /api/v1/datasets)");
        }
        try {
            return EventJson.fromBytes(store.get(DatasetKeys.card(datasetId)), DatasetCard.class);
        } catch (ObjectStore.NoSuchObjectException e) {
            throw ApiProblem.notFound("dataset '" + datasetId + "' does not exist (see GET /api/v1/datasets)");
        }
    }

    /** The body's region, every field present. */
    static Region region(JobRequest.Roi roi) {
        Map<String, Integer> fields = new java.util.LinkedHashMap<>();
        fields.put("x", roi.x());
        fields.put("y", roi.y());
        fields.put("z", roi.z());
        fields.put("width", roi.width());
        fields.put("height", roi.height());
        fields.put("depth", roi.depth());
        fields.forEach((name, value) -> {
            if (value == null) {
                throw ApiProblem.badRequest("input.roi." + name + " is missing: a region needs x, y, z, width, height"
                        + " and depth (level-0 voxels)");
            }
        });
        return new Region(roi.x(), roi.y(), roi.z(), roi.width(), roi.height(), roi.depth());
    }
}
