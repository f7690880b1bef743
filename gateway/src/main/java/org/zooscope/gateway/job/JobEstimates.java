package org.zooscope.gateway.job;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.Region;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.ModelTiling;
import org.zooscope.core.modelpkg.ModelTier;
import org.zooscope.core.rescale.PlaneSize;
import org.zooscope.core.rescale.Rescale;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.catalog.search.JobSearch;

/**
 * How many tiles a job would run and how long they would take, before it is submitted: the tiles counted by the
 * planner's rule ({@link ModelTiling#tilesPerPlane}, or {@link ModelTiling#tilesInWindow} for a dataset, × slices,
 * per model), the time from the rates past jobs measured ({@link TileRates}). The estimate is of inference, the bulk
 * of a job; time spent waiting in the queue is not in it.
 */
@Component
class JobEstimates {
    /** Past runs of a model read per estimate: enough for the median of the most recent at one level, alone. */
    private static final int PAST_RUNS_READ = 200;

    private final JobRequestChecks checks;
    private final ObjectStore store;
    private final JobSearch jobs;
    private final JobsProperties props;
    private final int tileSize;
    /** Parsed descriptions by package key: a stored version never changes. */
    private final Map<String, ModelDescription> descriptions = new ConcurrentHashMap<>();

    /**
     * @param tileSize the planner's core tile edge ({@code ZOOSCOPE_TILE_SIZE}, the variable job-stream reads, with the
     *                 same default), so that an estimate counts the tiles a job will run
     */
    JobEstimates(JobRequestChecks checks, ObjectStore store, JobSearch jobs, JobsProperties props,
                 @Value("${ZOOSCOPE_TILE_SIZE:" + ModelTiling.DEFAULT_TILE_SIZE + "}") int tileSize) {
        if (tileSize < 16 || tileSize > 4096) {
            throw new IllegalArgumentException("ZOOSCOPE_TILE_SIZE must be within 16..4096 but was " + tileSize);
        }
        this.checks = checks;
        this.store = store;
        this.jobs = jobs;
        this.props = props;
        this.tileSize = tileSize;
    }

    /** One model's share of the estimate. */
    record ModelEstimate(String id, int tiles, double secondsPerTile, String basis) {
    }

    record Estimate(double seconds, int tiles, String basis, List<ModelEstimate> models) {
    }

    Estimate estimate(JobRequest body, Caller caller) {
        JobRequestChecks.Checked checked = checks.check(body, caller);
        JobRequestChecks.InputShape input = checked.input();
        JobSettings settings = checked.settings();
        List<Map<String, Object>> docs = checked.models();
        List<ModelEstimate> perModel = new ArrayList<>();
        double seconds = 0;
        int tiles = 0;
        for (Map<String, Object> doc : docs) {
            String id = String.valueOf(doc.get("id"));
            ModelDescription d = description(id, String.valueOf(doc.get("packageKey")));
            int modelTiles = tiles(id, d, input, settings);
            TileRates.Rate rate = TileRates.rate(id, settings.augmentation(), d.frames(),
                    jobs.pastRuns(id, PAST_RUNS_READ), props.estimate().pastJobs(), props.estimate().defaultSecondsPerTile(),
                    ModelTier.of(doc));
            perModel.add(new ModelEstimate(id, modelTiles, rate.secondsPerTile(), rate.basis()));
            seconds += modelTiles * rate.secondsPerTile();
            tiles += modelTiles;
        }
        String basis = perModel.size() == 1 ? perModel.get(0).basis()
                : String.join("; ", perModel.stream().map(ModelEstimate::basis).toList());
        double start = props.estimate().startSeconds();
        seconds += start;
        basis += "; plus " + TileRates.seconds(start) + " s a job takes besides its tiles";
        return new Estimate(Math.round(seconds * 10) / 10.0, tiles, basis, perModel);
    }

    /**
     * The planner's tiles for the model over the whole input (a dataset's region: the dataset-wide grid's tiles it
     * needs, as job-stream plans it); 422 when the job would fail on it.
     */
    private int tiles(String id, ModelDescription d, JobRequestChecks.InputShape input, JobSettings settings) {
        if (!d.channelsAreFrames()) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "model '" + id + "' cannot run on " + input.what()
                    + ": it takes " + d.frames() + " input channels (" + d.channelList() + ") but the image has 1 channel");
        }
        Region r = input.region();
        try {
            int perPlane = input.ofDataset()
                    ? ModelTiling.tilesInWindow(d, input.planeWidth(), input.planeHeight(), r.x(), r.y(), r.width(),
                            r.height(), tileSize)
                    : tilesPerPlane(d, input, settings);
            return Math.multiplyExact(perPlane, r.depth());
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "model '" + id + "' cannot run on " + input.what()
                    + ": " + e.getMessage());
        }
    }

    /** An upload's tiles per plane, over the plane the model runs on: resampled to its pixel size, as planned. */
    private int tilesPerPlane(ModelDescription d, JobRequestChecks.InputShape input, JobSettings settings) {
        Region r = input.region();
        PlaneSize plane = Rescale.decide(input.voxelSize(), d.trainedPixelSize(), settings.rescale(), d.id(),
                r.width(), r.height()).plane(r.width(), r.height());
        return ModelTiling.tilesPerPlane(d, plane.width(), plane.height(), tileSize);
    }

    private ModelDescription description(String id, String packageKey) {
        ModelDescription d = descriptions.get(packageKey);
        if (d == null) {
            try {
                d = ModelDescriptionParser.parse(new ByteArrayInputStream(store.get(packageKey + "bioimageio.yaml")));
            } catch (InvalidModelPackageException | ObjectStore.NoSuchObjectException e) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "model '" + id + "' has no readable description: "
                        + e.getMessage());
            }
            descriptions.put(packageKey, d);
        }
        return d;
    }
}
