package org.zooscope.core.modelpkg.check;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.modelpkg.TensorLayout;
import org.zooscope.core.modelpkg.YamlTree;
import org.zooscope.core.process.ModelProcessing;

/**
 * Validates an uploaded bioimage.io model package: zip safety, the JSON schema, the files and their sha256, the
 * description's consistency, the ONNX weights loading in the runtime, a test run that must reproduce
 * {@code test_output} from {@code test_input} within bioimage.io's tolerance (or the one the package declares), and the same input run as a preview
 * would run it ({@link PreviewTestRun}: tiles of the shapes the description declares, stitched). Each step adds its
 * problems to one list, and later steps run as far as what they need is sound, so one answer names every problem
 * found.
 */
public final class ModelPackageValidator {
    private final PackageLimits limits;
    private final ModelRunner runner;
    private final Reproducibility tolerance;

    public ModelPackageValidator(PackageLimits limits, ModelRunner runner, Reproducibility tolerance) {
        this.limits = limits;
        this.runner = runner;
        this.tolerance = tolerance;
    }

    /** A package that passed every check. */
    public record ValidPackage(ModelDescription description, PackageContents contents) {
    }

    /** Every problem found, and the package when there is none. */
    public record Result(List<String> problems, Optional<ValidPackage> valid) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    public Result validate(Path zip) {
        List<String> problems = new ArrayList<>();
        Optional<PackageContents> read = ZipSafety.read(zip, limits, problems);
        if (read.isEmpty()) {
            return new Result(problems, Optional.empty());
        }
        PackageContents contents = read.get();
        Map<String, Object> raw = yamlTree(contents, problems);
        if (raw == null) {
            return new Result(problems, Optional.empty());
        }
        SchemaCheck.check(raw, problems);
        ModelDescription d;
        try {
            d = ModelDescriptionParser.parse(new ByteArrayInputStream(contents.description()));
        } catch (InvalidModelPackageException e) {
            problems.addAll(e.problems());
            FileCheck.check(raw, contents, problems);
            return new Result(problems, Optional.empty());
        }
        FileCheck.check(raw, contents, problems);
        ConsistencyCheck.dataTypes(d, raw, problems);
        // checked and run channel-first, as previews run; a channel-last package's tensors are turned once, here
        NpyArray in = channelFirst(tensor(contents, d.testInput(), "test input", problems), d.inputLayout());
        NpyArray out = channelFirst(tensor(contents, d.testOutput(), "test output", problems), d.outputLayout());
        if (in != null && out != null) {
            ConsistencyCheck.tensors(d, in, out, problems);
        }
        byte[] weights = d.weightsSource() == null ? null : contents.file(d.weightsSource()).orElse(null);
        if (weights != null) {
            testRun(d, weights, in, out, problems);
        }
        return new Result(problems, problems.isEmpty() ? Optional.of(new ValidPackage(d, contents)) : Optional.empty());
    }

    private void testRun(ModelDescription d, byte[] weights, NpyArray in, NpyArray out, List<String> problems) {
        try (ModelRunner.Session model = runner.open(weights)) {
            // the whole test input in the model's own geometry (for test_output), tiles as a worker feeds them
            ModelRunner.Session session = ChannelFirstSession.of(model, d);
            ModelRunner.Session tiles = TileSession.of(model, d);
            int before = problems.size();
            ConsistencyCheck.graph(d, tiles, problems);
            if (in == null || out == null || problems.size() > before) {
                return;
            }
            List<String> opProblems = ModelProcessing.problems(d);
            if (!opProblems.isEmpty()) {
                problems.addAll(opProblems);
                return;
            }
            ModelProcessing ops = ModelProcessing.of(d);
            NpyArray x = ProcessedTensors.processed(ops.preprocessing(), in);
            NpyArray y;
            try {
                y = session.run(x);
            } catch (ModelRunner.RunException e) {
                problems.add("the test run failed in ONNX Runtime: " + e.getMessage());
                return;
            }
            y = ProcessedTensors.processed(ops.postprocessing(), y);
            String mismatch = Reproducibility.of(d, tolerance, problems).compare(out, y);
            if (mismatch != null) {
                problems.add(mismatch);
            }
            PreviewTestRun.run(d, ops.postprocessing(), tiles, x, problems);
        } catch (ModelRunner.RunException e) {
            problems.add("the ONNX weights '" + d.weightsSource() + "' do not load in ONNX Runtime: " + e.getMessage());
        }
    }

    private static NpyArray channelFirst(NpyArray a, TensorLayout layout) {
        return a == null ? null : layout.toBcyx(a);
    }

    private static NpyArray tensor(PackageContents contents, ModelDescription.FileRef ref, String what, List<String> problems) {
        if (ref == null) {
            return null;
        }
        byte[] bytes = contents.file(ref.source()).orElse(null);
        if (bytes == null) {
            return null;
        }
        try {
            return NpyArray.read(bytes);
        } catch (IOException | RuntimeException e) {
            problems.add(what + " '" + ref.source() + "' is not a readable .npy array: " + e.getMessage());
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yamlTree(PackageContents contents, List<String> problems) {
        try {
            Object tree = YamlTree.read(contents.description());
            if (tree instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            problems.add(contents.descriptionName() + " is not a YAML mapping");
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.add(contents.descriptionName() + " is not valid YAML: " + why.lines().findFirst().orElse(""));
        }
        return null;
    }
}
