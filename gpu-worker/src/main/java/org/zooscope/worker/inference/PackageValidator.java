package org.zooscope.worker.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.ModelTiling;
import org.zooscope.core.modelpkg.TensorLayout;
import org.zooscope.core.modelpkg.TileTensors;
import org.zooscope.core.modelpkg.YamlTree;
import org.zooscope.core.process.ModelProcessing;

/**
 * Checks a package against its own ONNX graph before the worker runs it, collecting every problem: axes (rank 4,
 * {@code [batch, channel, y, x]}, the channel counts the description declares), the halo (it must leave a valid
 * centre), data types (float32 into and out of the graph; a declared output type that is a float) and the declared
 * pre- and postprocessing (ops the pipeline can apply). The description itself was parsed by
 * {@link org.zooscope.core.modelpkg.ModelDescriptionParser}, which checks the YAML's structure.
 */
public final class PackageValidator {
    private static final Set<String> NUMERIC_TYPES = Set.of("float32", "float64", "uint8", "uint16", "uint32", "uint64",
            "int8", "int16", "int32", "int64", "bool");

    private PackageValidator() {
    }

    /** Reads what a channel-first graph declares; a graph with other than one input and one output is refused. */
    public static ModelSignature signature(Path onnx) {
        return signature(onnx, new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 0, 1));
    }

    /**
     * Reads what the graph declares, as tiles see it ({@link TileTensors}): channels where the description's axis
     * order puts them, a 3D model's z block as its input channels (frames).
     */
    public static ModelSignature signature(Path onnx, TileTensors door) {
        OrtEnvironment env = OrtEnv.get();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            // only the graph's metadata is read here: skip the optimiser
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(onnx.toString(), o)) {
                List<String> problems = new ArrayList<>();
                Map<String, NodeInfo> ins = s.getInputInfo();
                Map<String, NodeInfo> outs = s.getOutputInfo();
                if (ins.size() != 1 || outs.size() != 1) {
                    throw new ModelRepository.InvalidModelException("the ONNX graph must have one input and one output but has "
                            + ins.size() + " and " + outs.size());
                }
                NodeInfo in = ins.values().iterator().next();
                NodeInfo out = outs.values().iterator().next();
                int rank = door.depth() > 0 ? 5 : 4;
                long[] inShape = door.inputAsTile(tensorShape(in, "input", rank, problems));
                long[] outShape = door.outputAsTile(tensorShape(out, "output", rank, problems));
                if (!problems.isEmpty()) {
                    throw new ModelRepository.InvalidModelException(String.join("; ", problems));
                }
                return new ModelSignature(in.getName(), inShape[0], inShape[1], outShape[1]);
            }
        } catch (OrtException e) {
            throw new ModelRepository.InvalidModelException("ONNX Runtime cannot read the graph: " + e.getMessage());
        }
    }

    private static long[] tensorShape(NodeInfo node, String which, int rank, List<String> problems) {
        if (!(node.getInfo() instanceof TensorInfo t)) {
            problems.add("the graph's " + which + " '" + node.getName() + "' is not a tensor");
            return new long[rank];
        }
        if (t.type != OnnxJavaType.FLOAT) {
            problems.add("the graph's " + which + " '" + node.getName() + "' is " + t.type + " but must be float32");
        }
        long[] shape = t.getShape();
        if (shape.length != rank) {
            problems.add("the graph's " + which + " '" + node.getName() + "' has " + shape.length + " axes but must have "
                    + (rank == 5 ? "5 [batch, channel, z, y, x]" : "4 [batch, channel, y, x]"));
            return new long[rank];
        }
        return shape;
    }

    /**
     * All problems of the package with this graph; empty when it can run.
     *
     * @param yaml the package's {@code bioimageio.yaml}, for the declared data types the parsed description omits
     */
    public static List<String> problems(ModelDescription d, byte[] yaml, ModelSignature sig) {
        List<String> problems = new ArrayList<>();
        if (sig.batch() > 1) {
            problems.add("the graph's batch axis is fixed at " + sig.batch() + "; it must be 1 or dynamic");
        }
        if (sig.inputChannels() > 0 && sig.inputChannels() != d.frames()) {
            problems.add("the description declares " + d.frames() + " input channel(s) but the graph takes " + sig.inputChannels());
        }
        if (sig.outputChannels() > 0 && sig.outputChannels() != d.outputChannels()) {
            problems.add("the description declares " + d.outputChannels() + " output channel(s) but the graph gives " + sig.outputChannels());
        }
        if (d.halo() < 0) {
            problems.add("the halo must not be negative but is " + d.halo());
        } else {
            try {
                // the planner's own rule: a fixed input must hold a core besides the halo
                ModelTiling.layout(d, d.inputX().min(), d.inputY().min(), ModelTiling.DEFAULT_TILE_SIZE);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        problems.addAll(ModelProcessing.problems(d));
        declaredTypes(yaml, problems);
        return problems;
    }

    /** bioimage.io 0.5 {@code data.type} / 0.4 {@code data_type} of the input and the output. */
    private static void declaredTypes(byte[] yaml, List<String> problems) {
        JsonNode root;
        try {
            // the same YAML reader as the description parser (it reads 0.4's -.inf/.inf data ranges)
            root = org.zooscope.core.events.EventJson.mapper().valueToTree(YamlTree.read(yaml));
        } catch (RuntimeException e) {
            problems.add("bioimageio.yaml cannot be read: " + e.getMessage());
            return;
        }
        String in = dataType(root.path("inputs").path(0));
        String out = dataType(root.path("outputs").path(0));
        if (in != null && !NUMERIC_TYPES.contains(in)) {
            problems.add("the input's data type " + in + " is not a numeric type");
        }
        if (out != null && !out.startsWith("float")) {
            problems.add("the output's data type " + out + " is not a float: probabilities cannot be read from it");
        }
    }

    private static String dataType(JsonNode tensor) {
        JsonNode t = tensor.path("data").path("type");
        if (t.isTextual()) {
            return t.asText();
        }
        JsonNode legacy = tensor.path("data_type");
        return legacy.isTextual() ? legacy.asText() : null;
    }
}
