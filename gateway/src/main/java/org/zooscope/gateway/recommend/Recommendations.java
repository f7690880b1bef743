package org.zooscope.gateway.recommend;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.zooscope.catalog.search.ModelSearch;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.ModelTier;
import org.zooscope.core.quality.AgreementScore;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.volume.Volume;
import org.zooscope.gateway.job.JobRequest;
import org.zooscope.gateway.job.JobSubmitter;
import org.zooscope.gateway.job.ResultVolumes;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;

/**
 * "Which model fits my data?": every zoo model that can run on the input (its structure, if one was asked for; its
 * input channels must be z-frames, as an image's slices are) runs on it as one ordinary job, with test-time
 * augmentation, through {@link JobSubmitter}; once the job is done each model is scored from what the job stored —
 * its mean probability over the augmentation variants and their variance — by {@link AgreementScore}, the one
 * implementation the validation command measured (README, "Which model fits?"). Nothing is held in memory that the
 * store does not also hold, so a restarted gateway answers the same.
 */
@Component
class Recommendations {
    /** The level the scores were validated at: 4 variants for a 2D model, 8 for a 2.5D one. */
    static final Augmentation AUGMENTATION = Augmentation.STANDARD;
    /** As many as one job runs (the job checks' limit). */
    static final int MAX_MODELS = 8;

    private final JobSubmitter jobs;
    private final ModelSearch models;
    private final ObjectStore store;
    private final ResultVolumes results;
    private final RecommendProperties limits;
    private final Map<String, Recommendation> known = new ConcurrentHashMap<>();
    private final Map<String, ModelDescription> descriptions = new ConcurrentHashMap<>();

    Recommendations(JobSubmitter jobs, ModelSearch models, ObjectStore store, ResultVolumes results,
                    RecommendProperties limits) {
        this.limits = limits;
        this.jobs = jobs;
        this.models = models;
        this.store = store;
        this.results = results;
    }

    /** Checks the body, picks the models, starts their job. Blocking. */
    Recommendation submit(RecommendationRequest body, Caller caller) throws Exception {
        if (body == null || body.input() == null) {
            throw ApiProblem.badRequest("input is missing: give {\"input\": {\"uploadId\": ...}} or "
                    + "{\"input\": {\"datasetId\": ..., \"roi\": {...}}}");
        }
        Sampled sampled = sample(body.input(), caller);
        String structure = body.structure() == null || body.structure().isBlank() ? null
                : body.structure().trim().toLowerCase(Locale.ROOT);
        List<Recommendation.Candidate> candidates = new ArrayList<>();
        List<Recommendation.Excluded> excluded = new ArrayList<>();
        TreeSet<String> structures = new TreeSet<>();
        for (Map<String, Object> card : models.search(new ModelSearch.Query(null, Map.of(), null, null, 0, 200,
                caller.ownerHash())).items()) {
            String id = String.valueOf(card.get("id"));
            String component = String.valueOf(card.get("component"));
            structures.add(component);
            if (structure != null && !structure.equals(component)) {
                continue;
            }
            // a comparison of every fitting model should stay quick on CPU workers; an accurate one is previewed alone
            Optional<String> unfit = ModelTier.of(card) == ModelTier.ACCURATE
                    ? Optional.of("an accurate-tier model takes up to " + Math.round(ModelTier.ACCURATE.costFactor())
                            + " times a fast one's time per tile, so the quick comparison leaves it out: preview it "
                            + "directly to see it on your data")
                    : unfit(id);
            if (unfit.isPresent()) {
                excluded.add(new Recommendation.Excluded(id, unfit.get()));
            } else if (candidates.size() >= MAX_MODELS) {
                excluded.add(new Recommendation.Excluded(id, "only " + MAX_MODELS + " models are compared at once: "
                        + "name a structure to narrow the choice"));
            } else {
                candidates.add(new Recommendation.Candidate(id, component, ((Number) card.get("frames")).intValue()));
            }
        }
        if (structure != null && !structures.contains(structure)) {
            throw ApiProblem.badRequest("structure '" + body.structure() + "' is not one the zoo segments; it segments "
                    + String.join(", ", structures));
        }
        if (candidates.isEmpty()) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "no model in the zoo can run on this input"
                    + (structure == null ? "" : " for " + structure)
                    + (excluded.isEmpty() ? "" : ": " + excluded.stream().map(e -> e.model() + " (" + e.reason() + ")")
                    .toList()));
        }
        boolean enhance = Boolean.TRUE.equals(body.enhance());
        JobSubmitter.Submitted job = jobs.submit(JobRequest.of(sampled.input(),
                candidates.stream().map(Recommendation.Candidate::model).toList(), enhance, AUGMENTATION.wire()), caller);
        Recommendation r = new Recommendation(Recommendation.idOf(job.id()), job.id(), caller.ownerHash(), structure,
                enhance, AUGMENTATION.wire(), job.event().submittedAt(), List.copyOf(candidates), List.copyOf(excluded),
                sampled.sample(), null);
        save(r);
        return r;
    }

    /** The caller's recommendation (404 for another's or an unknown one), scored once its job is done. Blocking. */
    Recommendation get(String id, Caller caller) {
        Recommendation r = find(id).filter(x -> caller.owns(x.ownerHash()))
                .orElseThrow(() -> ApiProblem.notFound("recommendation '" + id + "' does not exist"));
        if (r.items() != null) {
            return r;
        }
        Optional<JobStatus> status = jobs.status(r.jobId());
        if (status.isEmpty() || status.get().state() != org.zooscope.core.events.JobState.SUCCEEDED) {
            return r;
        }
        synchronized (r.id().intern()) {
            Recommendation latest = known.getOrDefault(r.id(), r);
            if (latest.items() != null) {
                return latest;
            }
            Recommendation scored = latest.withItems(score(latest, status.get()));
            save(scored);
            return scored;
        }
    }

    Optional<JobStatus> status(Recommendation r) {
        return jobs.status(r.jobId());
    }

    private Optional<Recommendation> find(String id) {
        if (id == null || !id.matches("r-[0-9a-f]{24}")) {
            return Optional.empty();
        }
        Recommendation r = known.get(id);
        if (r != null) {
            return Optional.of(r);
        }
        try {
            r = EventJson.fromBytes(store.get(StorageKeys.Jobs.recommendation(Recommendation.jobOf(id))),
                    Recommendation.class);
        } catch (ObjectStore.NoSuchObjectException e) {
            return Optional.empty();
        }
        known.put(id, r);
        return Optional.of(r);
    }

    private void save(Recommendation r) {
        store.put(StorageKeys.Jobs.recommendation(r.jobId()), EventJson.toBytes(r), "application/json");
        known.put(r.id(), r);
    }

    /** Each model's score from its stored mean and variance maps, best first. */
    private List<Recommendation.Item> score(Recommendation r, JobStatus status) {
        List<Recommendation.Item> items = new ArrayList<>();
        Augmentation augmentation = Augmentation.parse(r.augmentation());
        for (Recommendation.Candidate c : r.models()) {
            String perModel = StorageKeys.Jobs.modelResult(c.model(), "probabilities.tif");
            // a job of one model keeps its map only as the structure's
            String meanName = status.results().containsKey(perModel) ? perModel : c.structure() + "/probabilities.tif";
            String varianceName = StorageKeys.Jobs.modelResult(c.model(), "uncertainty.tif");
            String meanKey = status.results().get(meanName);
            String varianceKey = status.results().get(varianceName);
            if (meanKey == null || varianceKey == null) {
                throw new ApiProblem(HttpStatus.GONE, "job '" + r.jobId() + "' has no stored " + (meanKey == null
                        ? meanName : varianceName) + " for model " + c.model());
            }
            Volume mean = results.get(meanKey);
            Volume variance = results.get(varianceKey);
            int variants = augmentation.variants(c.frames());
            AgreementScore s = new AgreementScore(variants);
            float[] m = new float[mean.width() * mean.height()];
            float[] v = new float[m.length];
            for (int z = 0; z < mean.depth(); z++) {
                mean.copyPlane(z, m);
                variance.copyPlane(z, v);
                s.add(m, v);
            }
            String basis = String.format(Locale.ROOT, "%s (%d flips and rotations), over %d × %d × %d voxels%s, no labels",
                    AgreementScore.METHOD, variants, mean.width(), mean.height(), mean.depth(),
                    r.sample() == null ? "" : " (" + r.sample().describe() + ")");
            items.add(new Recommendation.Item(c.model(), c.structure(), round(s.score()), basis, mean.depth() / 2));
        }
        items.sort(Comparator.comparingDouble(Recommendation.Item::score).reversed());
        return List.copyOf(items);
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    /** Why a model cannot run on one image's slices, if it cannot. */
    private Optional<String> unfit(String modelId) {
        String packageKey = models.get(modelId).map(doc -> String.valueOf(doc.get("packageKey"))).orElse(null);
        ModelDescription d = packageKey == null ? null : descriptions.computeIfAbsent(packageKey, this::describe);
        if (d == null) {
            return Optional.of("its package cannot be read");
        }
        if (!d.channelsAreFrames()) {
            return Optional.of("it takes " + d.frames() + " input channels (" + d.channelList()
                    + ") of one image; an image's slices give one");
        }
        if (d.frames() % 2 == 0) {
            return Optional.of("it takes an even number of z-frames (" + d.frames() + "), which has no centre slice");
        }
        return Optional.empty();
    }

    private ModelDescription describe(String packageKey) {
        try {
            return ModelDescriptionParser.parse(new ByteArrayInputStream(store.get(packageKey + "bioimageio.yaml")));
        } catch (InvalidModelPackageException | ObjectStore.NoSuchObjectException e) {
            return null;
        }
    }

    /** What the models run on: the input, or its slices the sample takes; with the sample said. */
    record Sampled(JobRequest.Input input, Recommendation.Sample sample) {
    }

    /**
     * The input's central slices, as many as {@link RecommendProperties#sampleVoxels} allow (at least one): the central
     * ones have their real neighbours on both sides, which 3- and 5-frame models take as context. 413 for a plane over
     * {@link RecommendProperties#maxPlane}; the job's own checks say what else is wrong with the input.
     */
    private Sampled sample(JobRequest.Input in, Caller caller) {
        int width;
        int height;
        int z0;
        int depth;
        String what;
        if (in.datasetId() != null) {
            JobRequest.Roi roi = in.roi();
            if (roi == null) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "a recommendation runs on a region, not a whole "
                        + "dataset: give input.roi {x, y, z, width, height, depth}");
            }
            if (roi.width() == null || roi.height() == null || roi.depth() == null || roi.z() == null) {
                return new Sampled(in, null); // the job's checks name what is missing
            }
            width = roi.width();
            height = roi.height();
            z0 = roi.z();
            depth = roi.depth();
            what = "the region (" + width + " × " + height + " × " + depth + ")";
        } else {
            String uploadId = in.uploadId();
            if (uploadId == null || uploadId.isBlank()) {
                return new Sampled(in, null);
            }
            if (in.roi() != null) {
                throw ApiProblem.badRequest("input.roi is for a dataset's region; a recommendation over an upload "
                        + "chooses its own sample of slices");
            }
            UploadedVolume v;
            try {
                v = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(uploadId)), UploadedVolume.class);
            } catch (ObjectStore.NoSuchObjectException e) {
                throw ApiProblem.notFound("upload '" + uploadId + "' does not exist");
            }
            if (!caller.owns(v.ownerHash())) {
                throw ApiProblem.notFound("upload '" + uploadId + "' does not exist");
            }
            width = v.width();
            height = v.height();
            z0 = 0;
            depth = v.depth();
            what = "upload " + uploadId + " (" + width + " × " + height + " × " + depth + ")";
        }
        long plane = (long) width * height;
        if (plane > limits.maxPlane()) {
            throw new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, what + " has planes of " + width + " × " + height
                    + "; a recommendation runs on planes of at most " + limits.maxPlane() + " pixels: "
                    + (in.datasetId() != null ? "choose a smaller region" : "upload a crop of it"));
        }
        if (depth <= 0) {
            return new Sampled(in, null); // the job's checks name the empty region
        }
        int count = (int) Math.max(1, Math.min(depth, limits.sampleVoxels() / plane));
        int first = z0 + (depth - count) / 2;
        Recommendation.Sample sample = new Recommendation.Sample(first - z0, count, depth);
        if (count == depth) {
            return new Sampled(in, sample);
        }
        JobRequest.Roi r = in.roi();
        JobRequest.Roi sampled = in.datasetId() != null
                ? new JobRequest.Roi(r.x(), r.y(), first, r.width(), r.height(), count)
                : new JobRequest.Roi(null, null, first, null, null, count);
        return new Sampled(new JobRequest.Input(in.uploadId(), in.datasetId(), sampled), sample);
    }
}
