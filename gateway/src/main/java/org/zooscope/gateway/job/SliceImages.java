package org.zooscope.gateway.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * A job's slices as PNGs, rendered when asked for from the stored input planes and result stacks: the viewer's layers
 * ({@code /slices/{z}.png}) and the downloadable overlays ({@code results/overlay/{z}.png}, in the bundle too), which
 * job-stream no longer renders for every slice of every job. Blocking.
 */
@Component
class SliceImages {
    /** A downloadable overlay's result name. */
    private static final Pattern OVERLAY = Pattern.compile("overlay/(\\d+)\\.png");
    /** The downloadable overlays' look: the viewer's overlay layer at its default opacity and the job's threshold. */
    static final double OVERLAY_OPACITY = 0.5;

    private final JobRequests requests;
    private final ResultVolumes results;
    private final JobStructures structures;

    SliceImages(JobRequests requests, ResultVolumes results, JobStructures structures) {
        this.requests = requests;
        this.results = results;
        this.structures = structures;
    }

    static void requireResults(JobStatus status) {
        if (status.state() != JobState.SUCCEEDED || status.results() == null) {
            throw new ApiProblem(HttpStatus.CONFLICT, "job '" + status.jobId() + "' has no probabilities yet (it is "
                    + status.state() + "); the input layer is available now");
        }
    }

    /** The slice of a result name {@code overlay/{z}.png}, or -1 for any other name. */
    static int overlaySlice(String resultName) {
        Matcher m = OVERLAY.matcher(resultName);
        if (!m.matches() || m.group(1).length() > 9) {
            return -1;
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * The names of the overlays a finished job offers for download, {@code overlay/0.png} and on, rendered when asked
     * for; none for a full run (browsed through the dataset's layer) or a job whose stored results name overlays of
     * their own (made before overlays were rendered on request).
     */
    List<String> overlayNames(JobStatus status) {
        return offersOverlays(status) ? overlayNames(status, input(status.jobId())) : List.of();
    }

    /** As {@link #overlayNames(JobStatus)}, with the job's input already read. */
    List<String> overlayNames(JobStatus status, JobRequests.Input in) {
        if (!offersOverlays(status) || in.request().input().isFullRun()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int z = 0; z < in.volume().depth(); z++) {
            names.add("overlay/" + z + ".png");
        }
        return names;
    }

    private static boolean offersOverlays(JobStatus status) {
        return status.state() == JobState.SUCCEEDED && status.results() != null
                && status.results().keySet().stream().noneMatch(n -> n.startsWith("overlay/"));
    }

    /** The overlay of slice {@code z} as offered for download; {@code in} is the job's input, read once per request. */
    byte[] overlay(JobStatus status, JobRequests.Input in, int z) {
        return png(status, in, z, "overlay", null, null, null, OVERLAY_OPACITY);
    }

    /**
     * One slice as a PNG: the input in grey, or the result over it ({@code overlay}: each structure's mask in its own
     * colour, alpha-blended; {@code probability}: the probabilities, through a colour map for one structure and in
     * each structure's colour for several). The arguments are checked by the caller, but for the slice's range.
     */
    byte[] png(JobStatus status, int slice, String layer, String model, List<String> names, Double threshold,
               double opacity) {
        return png(status, input(status.jobId()), slice, layer, model, names, threshold, opacity);
    }

    private byte[] png(JobStatus status, JobRequests.Input in, int slice, String layer, String model, List<String> names,
                       Double threshold, double opacity) {
        UploadedVolume v = in.volume();
        if (slice < 0 || slice >= v.depth()) {
            throw ApiProblem.notFound("slice " + slice + " is outside the stack (0 to " + (v.depth() - 1) + ")");
        }
        int n = v.width() * v.height();
        if (layer.equals("input")) {
            return SliceRenderer.input(in.plane(slice), v.width(), v.height());
        }
        List<SliceRenderer.Layer> layers = new ArrayList<>();
        for (Map.Entry<JobStructures.Structure, String> e : shown(status, model, names).entrySet()) {
            String key = status.results().get(e.getValue());
            if (key == null) {
                throw new ApiProblem(HttpStatus.GONE, "job '" + status.jobId() + "' has no stored result '" + e.getValue() + "'");
            }
            float[] p = new float[n];
            results.get(key).copyPlane(slice, p);
            layers.add(new SliceRenderer.Layer(p, e.getKey().rgb()));
        }
        double thr = threshold == null ? in.request().settings().threshold() : threshold;
        return layer.equals("probability") ? SliceRenderer.probability(layers, v.width(), v.height())
                : SliceRenderer.overlay(in.plane(slice), layers, v.width(), v.height(), thr, opacity);
    }

    /** Structure → the result drawn for it: one model's own map, or the chosen structures' ensembles. Blocking. */
    private Map<JobStructures.Structure, String> shown(JobStatus status, String model, List<String> names) {
        List<JobStructures.Structure> all = structures.of(status);
        Map<JobStructures.Structure, String> out = new LinkedHashMap<>();
        if (model != null && !model.isBlank()) {
            if (status.models() == null || !status.models().contains(model)) {
                throw ApiProblem.notFound("model '" + model + "' is not one of this job's models " + status.models());
            }
            JobStructures.Structure s = JobStructures.ofModel(all, model);
            String perModel = org.zooscope.core.store.StorageKeys.Jobs.modelResult(model, "probabilities.tif");
            out.put(s, status.results().containsKey(perModel) ? perModel : s.probabilities());
            return out;
        }
        for (JobStructures.Structure s : all) {
            if (names == null || names.contains(s.name())) {
                out.put(s, s.probabilities());
            }
        }
        if (names != null) {
            for (String name : names) {
                if (all.stream().noneMatch(s -> s.name().equals(name))) {
                    throw ApiProblem.badRequest("structure '" + name + "' is not one of this job's structures "
                            + all.stream().map(JobStructures.Structure::name).toList());
                }
            }
        }
        return out;
    }

    /** The job's request and input (its request and upload description read from the store). */
    JobRequests.Input input(String id) {
        return requests.find(id).orElseThrow(() -> ApiProblem.notFound("job '" + id + "' has no stored input"));
    }
}
