package org.zooscope.core.modelpkg.check;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.tiling.AxisSize;

/**
 * The description agrees with itself, with its test tensors and with its ONNX graph: axes and sizes, halo, data types.
 * Zooscope runs {@code [batch, channel, y, x]} float32 models whose output has the input's spatial size.
 */
public final class ConsistencyCheck {
    private static final List<String> FLOATS = List.of("float32", "float64");

    private ConsistencyCheck() {
    }

    /** The test tensors against the description. */
    public static void tensors(ModelDescription d, NpyArray in, NpyArray out, List<String> problems) {
        long[] si = in.shape();
        long[] so = out.shape();
        if (si.length != 4) {
            problems.add("test input has " + si.length + " axes " + Arrays.toString(si) + "; the description declares 4 (batch, channel, y, x)");
        } else {
            if (si[1] != d.frames()) {
                problems.add("test input has " + si[1] + " channels but the description declares " + d.frames());
            }
            for (int axis = 2; axis < 4; axis++) {
                long size = si[axis];
                AxisSize declared = axis == 2 ? d.inputY() : d.inputX();
                if (size > Integer.MAX_VALUE || !declared.accepts((int) size)) {
                    problems.add("test input size " + size + " on axis " + (axis == 2 ? "y" : "x") + " is not one the description accepts (min "
                            + declared.min() + ", step " + declared.step() + ")");
                }
            }
        }
        if (so.length != 4) {
            problems.add("test output has " + so.length + " axes " + Arrays.toString(so) + "; the description declares 4 (batch, channel, y, x)");
        } else {
            if (so[1] != d.outputChannels()) {
                problems.add("test output has " + so[1] + " channels but the description declares " + d.outputChannels());
            }
            if (si.length == 4 && (so[0] != si[0] || so[2] != si[2] || so[3] != si[3])) {
                problems.add("test output shape " + Arrays.toString(so) + " does not match the test input " + Arrays.toString(si)
                        + " in batch and space: Zooscope runs models whose output has the input's size");
            }
            if (d.halo() < 0 || 2L * d.halo() >= Math.min(so[2], so[3])) {
                problems.add("halo " + d.halo() + " leaves nothing of the " + so[2] + "x" + so[3] + " test output");
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
