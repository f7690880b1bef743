package org.zooscope.gateway.job;

import org.springframework.http.HttpStatus;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.Region;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * The input of a job over a hosted dataset, checked before the job is accepted: the dataset exists, and a region (a
 * preview) is complete, inside the volume, not empty and within the preview limit; without a region the job is a full
 * run over the whole volume.
 */
final class DatasetJobInputs {

    private DatasetJobInputs() {
    }

    /** The dataset's card, once the input is found good. */
    static DatasetCard check(JobRequest.Input in, ObjectStore store) {
        String id = in.datasetId();
        if (in.uploadId() != null) {
            throw ApiProblem.badRequest("input names both uploadId and datasetId: give one");
        }
        DatasetCard card;
        try {
            if (!DatasetKeys.isValidId(id)) {
                throw new ObjectStore.NoSuchObjectException(id);
            }
            card = EventJson.fromBytes(store.get(DatasetKeys.card(id)), DatasetCard.class);
        } catch (ObjectStore.NoSuchObjectException e) {
            throw ApiProblem.notFound("dataset '" + id + "' does not exist (see GET /api/v1/datasets)");
        }
        if (in.roi() == null) {
            return card; // a full run
        }
        Region roi = region(in.roi());
        String problem = roi.problemWithin(card.width(), card.height(), card.depth());
        if (problem != null) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "roi: " + problem + " of dataset '" + id + "'");
        }
        if (roi.voxels() > Region.MAX_PREVIEW_VOXELS) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "roi: the region has " + roi.voxels()
                    + " voxels, more than a preview takes (" + Region.MAX_PREVIEW_VOXELS
                    + "); choose a smaller region, or leave out roi to run the whole dataset");
        }
        return card;
    }

    static JobInput input(JobRequest.Input in) {
        if (in.datasetId() == null) {
            return new JobInput(in.uploadId(), null);
        }
        return new JobInput(null, in.datasetId(), in.roi() == null ? null : region(in.roi()));
    }

    private static Region region(JobRequest.Roi r) {
        String[] names = {"x", "y", "z", "width", "height", "depth"};
        Integer[] values = {r.x(), r.y(), r.z(), r.width(), r.height(), r.depth()};
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null) {
                throw ApiProblem.badRequest("roi." + names[i] + " is missing: a region needs x, y, z, width, height and depth");
            }
        }
        return new Region(r.x(), r.y(), r.z(), r.width(), r.height(), r.depth());
    }
}
