package org.zooscope.core.modelpkg.check;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.tiling.AxisSize;

/**
 * The description agrees with itself, with its test tensors and with its ONNX graph: axes and sizes, halo, data types.
 * Zooscope runs {@code [batch, channel, y, x]} (or 3D {@code [batch, 1, z, y, x]}) float32 models whose output has the
 * input's spatial size or a whole fraction of it. The graph is checked as tiles see it ({@link TileSession}).
 */
public final class ConsistencyCheck {
    private static final List<String> FLOATS = List.of("float32", "float64");

    private ConsistencyCheck() {
    }

    /**
     * The test tensors against the description: {@code [batch, channel, y, x]} (a 3D model's {@code [batch, 1, z, y,
     * x]}), the output's y and x the input's divided by the output scale (rounded down, as bioimage.io's size
     * reference), a 3D output's z the input's.
     */
    public static void tensors(ModelDescription d, NpyArray in, NpyArray out, List<String> problems) {
        long[] si = in.shape();
        long[] so = out.shape();
        int rank = d.depth() > 0 ? 5 : 4;
        String axes = d.depth() > 0 ? "batch, channel, z, y, x" : "batch, channel, y, x";
        int y = rank - 2;
        int x = rank - 1;
        if (si.length != rank) {
            problems.add("test input has " + si.length + " axes " + Arrays.toString(si) + "; the description declares "
                    + rank + " (" + axes + ")");
        } else {
            int channels = d.depth() > 0 ? 1 : d.frames();
            if (si[1] != channels) {
                problems.add("test input has " + si[1] + " channels but the description declares " + channels);
            }
            for (int axis = 2; axis <= x; axis++) {
                long size = si[axis];
                AxisSize declared = axis == y ? d.inputY() : axis == x ? d.inputX() : d.inputZ();
                if (size > Integer.MAX_VALUE || !declared.accepts((int) size)) {
                    problems.add("test input size " + size + " on axis " + (axis == y ? "y" : axis == x ? "x" : "z")
                            + " is not one the description accepts (min " + declared.min() + ", step " + declared.step() + ")");
                }
            }
        }
        if (so.length != rank) {
            problems.add("test output has " + so.length + " axes " + Arrays.toString(so) + "; the description declares "
                    + rank + " (" + axes + ")");
        } else {
            if (so[1] != d.outputChannels()) {
                problems.add("test output has " + so[1] + " channels but the description declares " + d.outputChannels());
            }
            int scale = d.outputScale();
            if (si.length == rank && (so[0] != si[0] || so[y] != si[y] / scale || so[x] != si[x] / scale
                    || rank == 5 && so[2] != si[2])) {
                problems.add("test output shape " + Arrays.toString(so) + " does not match the test input " + Arrays.toString(si)
                        + " in batch and space: Zooscope runs models whose output has the input's size"
                        + (scale > 1 ? " divided by the declared output scale " + scale : ""));
            }
            if (d.halo() < 0 || 2L * d.halo() >= Math.min(so[y], so[x]) * scale) {
                problems.add("halo " + d.halo() + " leaves nothing of the " + so[y] + "x" + so[x] + " test output");
            }
        }
    }

    /** Declared data types: the model gets float32 (after any ensure_dtype), its output is a float map. */
    public static void dataTypes(ModelDescription d, Map<String, Object> raw, List<String> problems) {
        String input = declaredType(raw, "inputs");
        boolean ensured = !d.preprocessing().isEmpty()
                && "ensure_dtype".equals(d.preprocessing().get(d.preprocessing().size() - 1).id())
                && "float32".equals(String.valueOf(d.preprocessing().get(d.preprocessing().size() - 1).kwargs().get("dtype")));
        if (input != null && !"float32".equals(input) && !ensured) {
            problems.add("input data type is " + input + "; Zooscope feeds float32 (end the preprocessing with ensure_dtype float32)");
        }
        String output = declaredType(raw, "outputs");
        if (output != null && !FLOATS.contains(output)) {
            problems.add("output data type is " + output + "; a probability map must be float32");
        }
    }

    /** The ONNX graph's input and output against the description. */
    public static void graph(ModelDescription d, ModelRunner.Session s, List<String> problems) {
        if (s.inputs().size() != 1) {
            problems.add("the ONNX graph has " + s.inputs().size() + " inputs; Zooscope runs single-input models");
        }
        if (s.outputs().isEmpty()) {
            problems.add("the ONNX graph has no outputs");
        }
        if (!s.inputs().isEmpty()) {
            ModelRunner.TensorInfo in = s.inputs().get(0);
            if (!"float32".equals(in.elementType())) {
                problems.add("the ONNX input '" + in.name() + "' takes " + in.elementType() + "; Zooscope feeds float32");
            }
            checkRank(in, d.frames(), "input", problems);
            if (in.shape().length == 4) {
                checkSpatial(in, 2, "y", d.inputY(), problems);
                checkSpatial(in, 3, "x", d.inputX(), problems);
            }
        }
        if (!s.outputs().isEmpty()) {
            ModelRunner.TensorInfo out = s.outputs().get(0);
            if (!FLOATS.contains(out.elementType())) {
                problems.add("the ONNX output '" + out.name() + "' is " + out.elementType() + "; a probability map must be float32");
            }
            checkRank(out, d.outputChannels(), "output", problems);
        }
    }

    /** A graph fixed on an axis takes only that size: the description must declare exactly it. */
    private static void checkSpatial(ModelRunner.TensorInfo in, int axis, String name, AxisSize declared, List<String> problems) {
        long fixed = in.shape()[axis];
        if (fixed > 0 && !(declared.fixedSize() && declared.min() == fixed)) {
            problems.add("the ONNX input '" + in.name() + "' is fixed at " + fixed + " px on " + name
                    + " but the description declares " + declared + " px there: previews would feed other sizes");
        }
    }

    private static void checkRank(ModelRunner.TensorInfo t, int channels, String which, List<String> problems) {
        if (t.shape().length != 4) {
            problems.add("the ONNX " + which + " '" + t.name() + "' has " + t.shape().length + " axes " + Arrays.toString(t.shape())
                    + "; the description declares 4 (batch, channel, y, x)");
        } else if (t.shape()[1] > 0 && t.shape()[1] != channels) {
            problems.add("the ONNX " + which + " '" + t.name() + "' has " + t.shape()[1] + " channels; the description declares " + channels);
        }
    }

    private static String declaredType(Map<String, Object> raw, String key) {
        List<Object> tensors = FileCheck.list(raw.get(key));
        Map<String, Object> t = tensors.isEmpty() ? null : FileCheck.map(tensors.get(0));
        if (t == null) {
            return null;
        }
        if (t.get("data_type") != null) {
            return String.valueOf(t.get("data_type"));
        }
        Map<String, Object> data = FileCheck.map(t.get("data"));
        return data == null || data.get("type") == null ? null : String.valueOf(data.get("type"));
    }
}
