package org.zooscope.gateway.job;

import java.util.Optional;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.UploadedVolume;
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
        return "jobs/" + jobId + "/request.json";
    }

    /** The request and its upload, when both are stored. */
    Optional<Input> find(String jobId) {
        try {
            JobRequested req = EventJson.fromBytes(store.get(key(jobId)), JobRequested.class);
            UploadedVolume volume = EventJson.fromBytes(store.get(UploadedVolume.key(req.input().uploadId())),
                    UploadedVolume.class);
            return Optional.of(new Input(req, volume));
        } catch (ObjectStore.NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    record Input(JobRequested request, UploadedVolume volume) {
    }
}
