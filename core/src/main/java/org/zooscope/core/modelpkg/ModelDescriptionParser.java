package org.zooscope.core.modelpkg;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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
            Output output = v04 ? output04(out) : output05(out);

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
                    strings(root.get("tags")), input.name, input.channels, input.channelNames, input.minSize, input.step,
                    input.y, input.x, input.layout, output.layout, output.name, output.channels, output.channelNames,
                    output.halo, input.ops, output.ops, weightsSource, weightsSha, opset, testIn, testOut,
                    strings(root.get("covers")), maps(root.get("cite"), "cite"), maps(root.get("authors"), "authors"),
                    map(root.get("config")) == null ? Map.of() : map(root.get("config")), pixelSize);
        }

        private String version() {
            Object v = root.get("version");
            return v == null ? "1" : String.valueOf(v);
        }

        private record Input(String name, int channels, List<String> channelNames, int minSize, int step, AxisSize y,
                             AxisSize x, TensorLayout layout, List<ModelDescription.Op> ops) {
        }

        /** The card's single figures (largest over y and x) from the per-axis sizes. */
        private static Input input(String name, int channels, List<String> channelNames, AxisSize y, AxisSize x,
                                   TensorLayout layout, List<ModelDescription.Op> ops) {
            return new Input(name, channels, List.copyOf(channelNames), Math.max(y.min(), x.min()),
                    Math.max(y.step(), x.step()), y, x, layout, ops);
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

        private record Output(String name, int channels, List<String> channelNames, int halo, TensorLayout layout,
                              List<ModelDescription.Op> ops) {
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
            List<AxisSize> space = new ArrayList<>();
            List<String> order = new ArrayList<>();
            for (Map<String, Object> axis : maps(in.get("axes"), "input axes")) {
                String type = str(axis, "type");
                order.add(type);
                if ("channel".equals(type)) {
                    channelNames = strings(axis.get("channel_names"));
                    channels = channelNames.isEmpty() ? 1 : channelNames.size();
                } else if ("space".equals(type)) {
                    Object size = axis.get("size");
                    String id = String.valueOf(axis.getOrDefault("id", "space"));
                    if (size instanceof Number n) {
                        space.add(axisSize(n, 0, id));
                    } else if (size instanceof Map<?, ?> m && m.containsKey("min")) {
                        space.add(axisSize(m.get("min"), m.get("step"), id));
                    } else {
                        space.add(AxisSize.multipleOf(1));
                    }
                }
            }
            TensorLayout layout = layout(order, "input");
            AxisSize y = space.size() == 2 ? space.get(0) : AxisSize.multipleOf(1);
            AxisSize x = space.size() == 2 ? space.get(1) : AxisSize.multipleOf(1);
            return input(name == null ? "input0" : name, channels, channelNames, y, x, layout,
                    ops(in.get("preprocessing"), false));
        }

        private Output output05(Map<String, Object> out) {
            String name = str(out, "id");
            int channels = 1;
            List<String> channelNames = List.of();
            int halo = 0;
            List<String> order = new ArrayList<>();
            for (Map<String, Object> axis : maps(out.get("axes"), "output axes")) {
                String type = str(axis, "type");
                order.add(type);
                if ("channel".equals(type)) {
                    channelNames = strings(axis.get("channel_names"));
                    channels = channelNames.isEmpty() ? 1 : channelNames.size();
                } else if ("space".equals(type)) {
                    halo = Math.max(halo, intOf(axis.get("halo"), 0));
                }
            }
            TensorLayout layout = layout(order, "output");
            return new Output(name == null ? "output0" : name, channels, List.copyOf(channelNames), halo, layout,
                    ops(out.get("postprocessing"), false));
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
            return input(str(in, "name"), channels, List.of(), y, x, layout, ops(in.get("preprocessing"), true));
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
            return new Output(str(out, "name"), channels, List.of(), halo, layout, ops(out.get("postprocessing"), true));
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
