package org.zooscope.core.modelpkg;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.zooscope.core.modelpkg.ModelDescription.FileRef;
import org.zooscope.core.tiling.AxisSize;
import org.zooscope.core.volume.VoxelSize;

/**
 * Reads a {@code bioimageio.yaml} (formats 0.4 and 0.5) into a {@link ModelDescription}, collecting every problem
 * before failing. Only ONNX weights and single-image-input models are accepted: that is what Zooscope can run.
 */
public final class ModelDescriptionParser {

    /** bioimage.io 0.4 op names → 0.5 names. */
    private static final Map<String, String> OP_NAMES_04 = Map.of(
            "scale_range", "scale_range", "zero_mean_unit_variance", "zero_mean_unit_variance",
            "scale_linear", "scale_linear", "clip", "clip", "binarize", "binarize", "sigmoid", "sigmoid",
            "scale_mean_variance", "scale_mean_variance");

    /** A 3D tensor's axes: batch, channel, z, y, x (the only 3D order Zooscope runs). */
    private static final List<String> SPACE_3D = List.of("batch", "channel", "space", "space", "space");

    private ModelDescriptionParser() {
    }

    public static ModelDescription parse(InputStream yaml) throws InvalidModelPackageException {
        Object tree;
        try {
            tree = YamlTree.read(yaml.readAllBytes());
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelPackageException(List.of("bioimageio.yaml is not valid YAML: " + firstLine(e.getMessage())));
        }
        if (tree == null) {
            throw new InvalidModelPackageException(List.of("bioimageio.yaml is empty"));
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new InvalidModelPackageException(List.of("bioimageio.yaml is not a mapping"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) tree;
        return new Reader(root).read();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Walks the YAML tree once, recording problems instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, Object> root;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, Object> root) {
            this.root = root;
        }

        ModelDescription read() throws InvalidModelPackageException {
            String format = str(root, "format_version");
            if (format == null) {
                problems.add("format_version is missing");
                format = "0.5";
            }
            boolean v04 = format.startsWith("0.4");
            if (!format.startsWith("0.4") && !format.startsWith("0.5")) {
                problems.add("format_version " + format + " is not supported (0.4.x or 0.5.x)");
            }
            if (!"model".equals(str(root, "type"))) {
                problems.add("type must be 'model' but was '" + str(root, "type") + "'");
            }
            String name = str(root, "name");
            if (name == null || name.isBlank()) {
                problems.add("name is missing");
            }
            String id = str(root, "id");
            if (id == null || id.isBlank()) {
                id = name == null ? null : name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
            }
            List<Map<String, Object>> inputs = maps(root.get("inputs"), "inputs");
            List<Map<String, Object>> outputs = maps(root.get("outputs"), "outputs");
            if (inputs.size() != 1) {
                problems.add("exactly one input tensor is supported but the model declares " + inputs.size());
            }
            if (outputs.size() != 1) {
                problems.add("exactly one output tensor is supported but the model declares " + outputs.size());
            }
            Map<String, Object> in = inputs.isEmpty() ? Map.of() : inputs.get(0);
            Map<String, Object> out = outputs.isEmpty() ? Map.of() : outputs.get(0);
            Input input = v04 ? input04(in) : input05(in);
            Output output = v04 ? output04(out) : output05(out, in);
            int depth = input.z == null ? 0 : depth(input.z, output.zHalo);

            Map<String, Object> weights = map(root.get("weights"));
            Map<String, Object> onnx = weights == null ? null : map(weights.get("onnx"));
            String weightsSource = null;
            String weightsSha = null;
            Integer opset = null;
            if (onnx == null) {
                problems.add("no ONNX weights: Zooscope runs models with ONNX Runtime (weights.onnx is required)");
            } else {
                weightsSource = str(onnx, "source");
                weightsSha = str(onnx, "sha256");
                if (weightsSource == null) {
                    problems.add("weights.onnx.source is missing");
                }
                Object o = onnx.get("opset_version");
                opset = o instanceof Number n ? n.intValue() : null;
            }
            FileRef testIn = v04 ? fileRef(list(root.get("test_inputs")), "test_inputs") : testTensor(in, "input");
            FileRef testOut = v04 ? fileRef(list(root.get("test_outputs")), "test_outputs") : testTensor(out, "output");
            VoxelSize pixelSize = v04 ? null : axesPixelSize(in);
            if (!problems.isEmpty()) {
                throw new InvalidModelPackageException(problems);
            }
            return new ModelDescription(format, id, name, str(root, "description"), version(), str(root, "license"),
                    strings(root.get("tags")), input.name, depth > 0 ? depth : input.channels, input.channelNames,
                    input.minSize, input.step,
                    input.y, input.x, input.layout, output.layout, output.name, output.channels, output.channelNames,
                    output.halo, input.ops, output.ops, weightsSource, weightsSha, opset, testIn, testOut,
                    strings(root.get("covers")), maps(root.get("cite"), "cite"), maps(root.get("authors"), "authors"),
                    map(root.get("config")) == null ? Map.of() : map(root.get("config")), pixelSize, depth, input.z,
                    output.scale);
        }

        private String version() {
            Object v = root.get("version");
            return v == null ? "1" : String.valueOf(v);
        }

        /** {@code z}: a 3D model's z sizes, null for a model without a z axis. */
        private record Input(String name, int channels, List<String> channelNames, int minSize, int step, AxisSize y,
                             AxisSize x, AxisSize z, TensorLayout layout, List<ModelDescription.Op> ops) {
        }

        /** The card's single figures (largest over y and x) from the per-axis sizes. */
        private static Input input(String name, int channels, List<String> channelNames, AxisSize y, AxisSize x,
                                   AxisSize z, TensorLayout layout, List<ModelDescription.Op> ops) {
            return new Input(name, channels, List.copyOf(channelNames), Math.max(y.min(), x.min()),
                    Math.max(y.step(), x.step()), y, x, z, layout, ops);
        }

        /**
         * The z block a 3D model is run at: odd, so that it is centred on the output slice, and at least 3 and
         * {@code 2 * zHalo + 1} (context on both sides of the kept slice) where its size may grow; a fixed size is
         * taken as it is when odd and large enough for its halo. 0 (with a problem) when there is none.
         */
        private int depth(AxisSize z, int zHalo) {
            int least = 2 * zHalo + 1;
            if (z.fixedSize()) {
                if (z.min() % 2 == 1 && z.min() >= least) {
                    return z.min();
                }
                problems.add("the input's z axis is fixed at " + z.min() + (z.min() % 2 == 0 ? ", an even size"
                        : ", less than the output's z halo of " + zHalo + " on each side allows")
                        + "; Zooscope runs a 3D model on an odd z block centred on each output slice");
                return 0;
            }
            // min + n * step is odd for every n or for every other n, or never: two steps tell
            int size = z.atLeast(Math.max(3, least));
            for (int tries = 0; tries < 2; tries++, size += z.step()) {
                if (size % 2 == 1) {
                    return size;
                }
            }
            problems.add("the input's z axis takes only even sizes (" + z + "); Zooscope runs a 3D model on an odd z "
                    + "block centred on each output slice");
            return 0;
        }

        /** A declared size; a missing or unreadable one is taken as any size, and the test run has the last word. */
        private AxisSize axisSize(Object min, Object step, String axis) {
            int m = intOf(min, 1);
            int s = intOf(step, 0);
            if (m < 1 || s < 0) {
                problems.add("input axis " + axis + " declares min " + min + " and step " + step
                        + "; a size needs min >= 1 and step >= 0");
                return AxisSize.multipleOf(1);
            }
            return new AxisSize(m, s);
        }

        /**
         * {@code halo}: on y and x, in input pixels; {@code zHalo}: on a 3D output's z axis; {@code scale}: input
         * pixels per output pixel on y and x.
         */
        private record Output(String name, int channels, List<String> channelNames, int halo, int zHalo, int scale,
                              TensorLayout layout, List<ModelDescription.Op> ops) {
        }

        /**
         * The y and x axes' {@code scale} in their {@code unit} (0.5: scale defaults to 1, a unit is optional), or null
         * unless both axes state a length unit.
         */
        private VoxelSize axesPixelSize(Map<String, Object> in) {
            if (!(in.get("axes") instanceof List<?>)) {
                return null; // reported where the axes are read
            }
            List<Double> scales = new ArrayList<>();
            String unit = null;
            for (Map<String, Object> axis : maps(in.get("axes"), "input axes")) {
                if ("space".equals(str(axis, "type"))) {
                    String u = str(axis, "unit");
                    if (u == null || VoxelSize.PIXEL.equals(VoxelSize.normaliseUnit(u))
                            || unit != null && !VoxelSize.normaliseUnit(u).equals(unit)) {
                        return null;
                    }
                    unit = VoxelSize.normaliseUnit(u);
                    scales.add(axis.get("scale") instanceof Number n ? n.doubleValue() : 1.0);
                }
            }
            if (scales.size() != 2) {
                return null;
            }
            try {
                // axes are y then x; z is not an input axis of these models, so it is taken as x
                return new VoxelSize(scales.get(1), scales.get(0), scales.get(1), unit);
            } catch (IllegalArgumentException e) {
                problems.add("input axes declare a scale that is not a positive number: " + scales);
                return null;
            }
        }

        private Input input05(Map<String, Object> in) {
            String name = str(in, "id");
            int channels = 1;
            List<String> channelNames = List.of();
            Map<String, AxisSize> space = new LinkedHashMap<>();
            List<String> order = new ArrayList<>();
            for (Map<String, Object> axis : maps(in.get("axes"), "input axes")) {
                String type = str(axis, "type");
                order.add(type);
                if ("channel".equals(type)) {
                    channelNames = strings(axis.get("channel_names"));
                    channels = channelNames.isEmpty() ? 1 : channelNames.size();
                } else if ("space".equals(type)) {
                    Object size = axis.get("size");
                    String id = String.valueOf(axis.getOrDefault("id", "space" + space.size()));
                    if (size instanceof Number n) {
                        space.put(id, axisSize(n, 0, id));
                    } else if (size instanceof Map<?, ?> m && m.containsKey("min")) {
                        space.put(id, axisSize(m.get("min"), m.get("step"), id));
                    } else {
                        space.put(id, AxisSize.multipleOf(1));
                    }
                }
            }
            AxisSize z = null;
            List<AxisSize> yx = new ArrayList<>(space.values());
            TensorLayout layout = TensorLayout.BCYX;
            if (order.equals(SPACE_3D)) {
                z = zAxis(space, channels, in);
                yx = z == null ? List.of() : List.of(space.get("y"), space.get("x"));
            } else {
                layout = layout(order, "input");
            }
            AxisSize y = yx.size() == 2 ? yx.get(0) : AxisSize.multipleOf(1);
            AxisSize x = yx.size() == 2 ? yx.get(1) : AxisSize.multipleOf(1);
            return input(name == null ? "input0" : name, channels, channelNames, y, x, z, layout,
                    ops(in.get("preprocessing"), false));
        }

        /**
         * A 3D input's z sizes: its space axes must be z, y, x, one channel (the z block is fed as Zooscope's frames),
         * and z a fixed size or min and step (a reference leaves no size to run it at). Null, with a problem, otherwise.
         */
        private AxisSize zAxis(Map<String, AxisSize> space, int channels, Map<String, Object> in) {
            if (!List.copyOf(space.keySet()).equals(List.of("z", "y", "x"))) {
                problems.add("a 3D input's space axes must be z, y, x but are " + space.keySet());
                return null;
            }
            if (channels != 1) {
                problems.add("the 3D input declares " + channels + " channels; Zooscope runs 3D models on one channel");
                return null;
            }
            for (Map<String, Object> axis : maps(in.get("axes"), "input axes")) {
                if ("z".equals(str(axis, "id")) && !(axis.get("size") instanceof Number)
                        && !(axis.get("size") instanceof Map<?, ?> m && m.containsKey("min"))) {
                    problems.add("the input's z axis declares size " + axis.get("size")
                            + "; a 3D model needs a fixed z size or min and step");
                    return null;
                }
            }
            return space.get("z");
        }

        private Output output05(Map<String, Object> out, Map<String, Object> in) {
            String name = str(out, "id");
            int channels = 1;
            List<String> channelNames = List.of();
            int halo = 0;
            int zHalo = 0;
            Integer scale = null;
            List<String> order = new ArrayList<>();
            for (Map<String, Object> axis : maps(out.get("axes"), "output axes")) {
                String type = str(axis, "type");
                order.add(type);
                if ("channel".equals(type)) {
                    channelNames = strings(axis.get("channel_names"));
                    channels = channelNames.isEmpty() ? 1 : channelNames.size();
                } else if ("space".equals(type)) {
                    String id = String.valueOf(axis.getOrDefault("id", "x"));
                    int factor = outputScale(axis, id, in);
                    if ("z".equals(id)) {
                        if (factor != 1) {
                            problems.add("the output's z axis is at another scale than the input's; Zooscope keeps "
                                    + "one output slice per input slice");
                        }
                        zHalo = intOf(axis.get("halo"), 0);
                        continue;
                    }
                    if (scale != null && factor != scale) {
                        problems.add("the output's y and x axes are at different scales against the input's ("
                                + scale + " and " + factor + " input px per output px)");
                    }
                    scale = factor;
                    halo = Math.max(halo, intOf(axis.get("halo"), 0));
                }
            }
            int s = scale == null ? 1 : scale;
            TensorLayout layout = order.equals(SPACE_3D) ? TensorLayout.BCYX : layout(order, "output");
            return new Output(name == null ? "output0" : name, channels, List.copyOf(channelNames), halo * s, zHalo, s,
                    layout, ops(out.get("postprocessing"), false));
        }

        /**
         * Input pixels per output pixel on an output space axis whose size references an input axis: bioimage.io's
         * {@code size = reference.size * reference.scale / axis.scale + offset}, so the ratio of the two axes'
         * {@code scale}. A whole ratio of at least 1 and no offset is what Zooscope can put back on the input's grid;
         * anything else is named (and taken as 1). A fixed size, or no reference, is 1: the test run checks it. So is an
         * output axis that declares no scale of its own: many packages state a pixel size on the input's axes only,
         * and their output is on the input's grid (the test run checks that too).
         */
        private int outputScale(Map<String, Object> axis, String id, Map<String, Object> in) {
            if (!(axis.get("size") instanceof Map<?, ?> ref) || ref.get("axis_id") == null) {
                return 1;
            }
            int offset = intOf(ref.get("offset"), 0);
            if (offset != 0) {
                problems.add("the output's " + id + " axis declares a size offset of " + offset + "; Zooscope "
                        + "previews outputs of the input's size or a whole fraction of it (no offset)");
            }
            if (!(axis.get("scale") instanceof Number outScale)) {
                return 1;
            }
            double inScale = 1;
            for (Map<String, Object> a : maps(in.get("axes"), "input axes")) {
                if (String.valueOf(ref.get("axis_id")).equals(str(a, "id")) && a.get("scale") instanceof Number n) {
                    inScale = n.doubleValue();
                }
            }
            double ratio = outScale.doubleValue() / inScale;
            long whole = Math.round(ratio);
            if (whole < 1 || Math.abs(ratio - whole) > 1e-6) {
                problems.add("the output's " + id + " axis is at scale " + outScale + " against the input's " + inScale
                        + "; Zooscope previews outputs at the input's resolution or a whole fraction of it "
                        + "(scale 1, 2, 3, ... times the input's)");
                return 1;
            }
            return (int) whole;
        }

        private Input input04(Map<String, Object> in) {
            TensorLayout layout = layout04(str(in, "axes"), "input");
            int c = layout.channelAxis();
            int iy = layout.yAxis();
            int ix = layout.xAxis();
            int channels = 1;
            AxisSize y = AxisSize.multipleOf(1);
            AxisSize x = AxisSize.multipleOf(1);
            Object shape = in.get("shape");
            if (shape instanceof List<?> fixed && fixed.size() == 4) {
                channels = intOf(fixed.get(c), 1);
                y = axisSize(fixed.get(iy), 0, "y");
                x = axisSize(fixed.get(ix), 0, "x");
            } else if (shape instanceof Map<?, ?> m) {
                List<?> mins = m.get("min") instanceof List<?> l ? l : List.of();
                List<?> steps = m.get("step") instanceof List<?> l ? l : List.of();
                if (mins.size() == 4 && steps.size() == 4) {
                    channels = intOf(mins.get(c), 1);
                    y = axisSize(mins.get(iy), steps.get(iy), "y");
                    x = axisSize(mins.get(ix), steps.get(ix), "x");
                } else {
                    problems.add("input shape min and step must each list 4 sizes (b, c, y, x)");
                }
            } else {
                problems.add("input shape is missing");
            }
            return input(str(in, "name"), channels, List.of(), y, x, null, layout, ops(in.get("preprocessing"), true));
        }

        private Output output04(Map<String, Object> out) {
            TensorLayout layout = layout04(str(out, "axes"), "output");
            int halo = 0;
            if (out.get("halo") instanceof List<?> h && h.size() == 4) {
                halo = Math.max(intOf(h.get(layout.yAxis()), 0), intOf(h.get(layout.xAxis()), 0));
            }
            int channels = 1;
            Object shape = out.get("shape");
            if (shape instanceof Map<?, ?> m && m.get("offset") instanceof List<?> off && off.size() == 4) {
                channels = Math.max(1, (int) Math.round(2 * toDouble(off.get(layout.channelAxis()))));
            } else if (shape instanceof List<?> fixed && fixed.size() == 4) {
                channels = intOf(fixed.get(layout.channelAxis()), 1);
            }
            return new Output(str(out, "name"), channels, List.of(), halo, 0, 1, layout,
                    ops(out.get("postprocessing"), true));
        }

        private TensorLayout layout(List<String> order, String which) {
            if (order.equals(List.of("batch", "space", "space", "channel"))) {
                return TensorLayout.BYXC;
            }
            if (!order.equals(List.of("batch", "channel", "space", "space"))) {
                problems.add(which + " axes must be batch, channel, y, x or batch, y, x, channel but are " + order);
            }
            return TensorLayout.BCYX;
        }

        private TensorLayout layout04(String axes, String which) {
            if ("byxc".equals(axes)) {
                return TensorLayout.BYXC;
            }
            if (!"bcyx".equals(axes)) {
                problems.add(which + " axes must be 'bcyx' or 'byxc' but are '" + axes + "'");
            }
            return TensorLayout.BCYX;
        }

        private List<ModelDescription.Op> ops(Object raw, boolean v04) {
            List<ModelDescription.Op> ops = new ArrayList<>();
            for (Map<String, Object> op : maps(raw, "processing")) {
                String id = str(op, v04 ? "name" : "id");
                if (v04 && id != null) {
                    id = OP_NAMES_04.getOrDefault(id, id);
                }
                Map<String, Object> kwargs = map(op.get("kwargs"));
                ops.add(new ModelDescription.Op(id, kwargs == null ? Map.of() : kwargs));
            }
            return ops;
        }

        private FileRef testTensor(Map<String, Object> tensor, String which) {
            Map<String, Object> t = map(tensor.get("test_tensor"));
            if (t == null || str(t, "source") == null) {
                problems.add("the " + which + " has no test_tensor");
                return null;
            }
            return new FileRef(str(t, "source"), str(t, "sha256"));
        }

        private FileRef fileRef(List<Object> files, String what) {
            if (files.isEmpty()) {
                problems.add(what + " is missing");
                return null;
            }
            return new FileRef(String.valueOf(files.get(0)), null);
        }

        private List<Map<String, Object>> maps(Object raw, String what) {
            List<Map<String, Object>> out = new ArrayList<>();
            if (raw == null) {
                return out;
            }
            if (!(raw instanceof List<?> l)) {
                problems.add(what + " must be a list");
                return out;
            }
            for (Object o : l) {
                Map<String, Object> m = map(o);
                if (m != null) {
                    out.add(m);
                } else {
                    problems.add(what + " entries must be mappings");
                }
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object e : list(o)) {
            out.add(String.valueOf(e));
        }
        return out;
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    static int intOf(Object o, int fallback) {
        return o instanceof Number n ? n.intValue() : fallback;
    }

    static double toDouble(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
