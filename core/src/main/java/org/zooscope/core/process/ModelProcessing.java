package org.zooscope.core.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.zooscope.core.modelpkg.ModelDescription;

/**
 * A model's declared pre- and postprocessing, parsed once into the one set of ops ({@link ProcessingOp}) that the
 * upload's test run, job-stream's planning and the worker all interpret. Preprocessing is resolved with the whole
 * input's statistics ({@link Processing#resolve}); postprocessing must not need statistics of the output, which would
 * differ from tile to tile, nor cast probabilities to an integer type.
 */
public record ModelProcessing(Processing preprocessing, Processing postprocessing) {

    /**
     * Parses and checks a model's ops.
     *
     * @throws ProcessingSpecException naming the first step a preview could not apply
     */
    public static ModelProcessing of(ModelDescription d) {
        return new ModelProcessing(preprocessing(d), postprocessing(d));
    }

    /** Every problem {@link #of} would throw, as a package check lists them (empty when the ops are usable). */
    public static List<String> problems(ModelDescription d) {
        List<String> problems = new ArrayList<>();
        try {
            preprocessing(d);
        } catch (ProcessingSpecException e) {
            problems.add("preprocessing: " + e.getMessage());
        }
        try {
            postprocessing(d);
        } catch (ProcessingSpecException e) {
            problems.add("postprocessing: " + e.getMessage());
        }
        return problems;
    }

    private static Processing preprocessing(ModelDescription d) {
        Processing pre = Processing.fromDescription(d.preprocessing());
        // resolving against placeholder statistics finds steps whose statistics cannot be known, before any job
        pre.resolve(placeholder(pre));
        return pre;
    }

    private static Processing postprocessing(ModelDescription d) {
        Processing post = Processing.fromDescription(d.postprocessing()).requireStatisticsFree("postprocessing");
        for (ProcessingOp op : post.ops()) {
            if (op instanceof ProcessingOp.EnsureDtype e && !e.dtype().startsWith("float")) {
                throw new ProcessingSpecException(op.id(), e.dtype(), "would quantise probabilities; only float32 or"
                        + " float64 outputs are supported");
            }
        }
        return post;
    }

    private static VolumeStatistics placeholder(Processing pre) {
        Map<Double, Double> ps = new TreeMap<>();
        pre.rawPercentiles().forEach(p -> ps.put(p, p));
        return new VolumeStatistics(101, 50, 29, 0, 100, ps);
    }
}
