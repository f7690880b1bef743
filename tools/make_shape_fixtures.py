#!/usr/bin/env python3
"""Writes the tiling fixtures: small bioimage.io packages, one per way a model can declare its input size, for the
tests that a model which passes validation also previews (planner, worker, upload test run, end to end).

Every network is the same tiny one -- a fixed 3x3 convolution and a sigmoid, so a preview stitched from tiles equals
a run on the whole image away from its 1 px border -- and what differs is the declared input and a graph that refuses
every other size, as exported models do:
  fixed-512      format 0.5, ONNX input fixed at 1x1x512x512 (the issue's case: a graph exported at one size)
  min-step       format 0.5, y: 64 + n*48, x: 80 + n*32; the graph refuses other sizes (a zero-weighted branch that
                 only adds up for those sizes, like a U-Net's poolings)
  fixed-256-v04  format 0.4, input shape [1, 1, 256, 256], graph fixed at 256
  channel-last   format 0.5, axes batch, y, x, channel (16 + n*8), a graph taking and giving [n, y, x, 1]
  two-channel    format 0.5, two input channels of one image (nuclei, membranes), not z-frames: valid, and a preview
                 of a one-channel image is refused with a message naming them
  two-output     format 0.5, outputs [background, foreground]: the preview shows the foreground
  half-res-output format 0.5, y, x: 64 + n*32; a 2x2 average pooling before the convolution, so the output's y and
                 x are at half the input's resolution (scale 2.0 against the input's 1.0, a size reference, halo 1)
  3d             format 0.5, axes batch, channel, z, y, x (z: 3 + n*2, y, x: 16 + n*8), a 3x3x3 convolution and a
                 sigmoid; the output declares a halo of 1 on z, y and x
Preprocessing is scale_range over the whole image (0..100 percentile; the 3D model's over z, y, x); test inputs are crops of the bundled real EM
sample (samples/sbem-mito-512x512x5.tif), outputs computed here in numpy (zero padding, as ONNX's Conv).

Run from the repository root with Debian's python3-onnx, numpy and Pillow:
    /usr/bin/python3 tools/make_shape_fixtures.py core/src/test/resources/packages
(core's test-jar carries them to the gateway's validation tests and the system tests.)
"""
import hashlib
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper
from PIL import Image

root = sys.argv[1]
KERNEL = (np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float32) / 2.0).reshape(1, 1, 3, 3)
BIAS = np.array([-4.0], dtype=np.float32)


def kernel(channels):
    """The smoothing kernel on the first channel, half of it on each further one."""
    return np.concatenate([KERNEL] + [KERNEL / 2] * (channels - 1), axis=1)


def graph(dims_in, guard=None, channel_last=False, channels=1, background=False):
    """conv3x3 + sigmoid; dims_in are the declared y and x dims (ints fix them, strings leave them free)."""
    k = kernel(channels)
    inits = [helper.make_tensor("w", TensorProto.FLOAT, k.shape, k.flatten()),
             helper.make_tensor("b", TensorProto.FLOAT, BIAS.shape, BIAS)]
    x = "input"
    nodes = []
    if channel_last:
        nodes.append(helper.make_node("Transpose", ["input"], ["input_bcyx"], perm=[0, 3, 1, 2]))
        x = "input_bcyx"
    nodes.append(helper.make_node("Conv", [x, "w", "b"], ["z"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]))
    if guard is not None:
        # (n - offset) must be a multiple of the step on each axis, else the branch's shape differs and Add fails
        offset, (sy, sx) = guard
        inits += [helper.make_tensor("starts", TensorProto.INT64, [2], [offset, offset]),
                  helper.make_tensor("ends", TensorProto.INT64, [2], [2 ** 62, 2 ** 62]),
                  helper.make_tensor("axes", TensorProto.INT64, [2], [2, 3]),
                  helper.make_tensor("scales", TensorProto.FLOAT, [4], [1, 1, sy, sx]),
                  helper.make_tensor("pads", TensorProto.INT64, [8], [0, 0, offset, offset, 0, 0, 0, 0]),
                  helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0])]
        nodes += [helper.make_node("Slice", ["input", "starts", "ends", "axes"], ["g1"]),
                  helper.make_node("MaxPool", ["g1"], ["g2"], kernel_shape=[sy, sx], strides=[sy, sx]),
                  helper.make_node("Resize", ["g2", "", "scales"], ["g3"], mode="nearest"),
                  helper.make_node("Pad", ["g3", "pads"], ["g4"]),
                  helper.make_node("Mul", ["g4", "zero"], ["g5"]),
                  helper.make_node("Add", ["z", "g5"], ["z2"])]
        last = "z2"
    else:
        last = "z"
    batch = 1 if isinstance(dims_in[0], int) else "n"
    if channel_last:
        nodes.append(helper.make_node("Sigmoid", [last], ["prob_bcyx"]))
        nodes.append(helper.make_node("Transpose", ["prob_bcyx"], ["prob"], perm=[0, 2, 3, 1]))
        shape_in, shape_out = [batch, *dims_in, channels], [batch, *dims_in, 1]
    elif background:
        # [background, foreground]: sigmoid(-z) and sigmoid(z), as a two-class softmax gives them
        nodes += [helper.make_node("Neg", [last], ["minus"]),
                  helper.make_node("Sigmoid", ["minus"], ["bg"]),
                  helper.make_node("Sigmoid", [last], ["fg"]),
                  helper.make_node("Concat", ["bg", "fg"], ["prob"], axis=1)]
        shape_in, shape_out = [batch, channels, *dims_in], [batch, 2, *dims_in]
    else:
        nodes.append(helper.make_node("Sigmoid", [last], ["prob"]))
        shape_in, shape_out = [batch, channels, *dims_in], [batch, 1, *dims_in]
    g = helper.make_graph(nodes, "shape_fixture",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape_in)],
                          [helper.make_tensor_value_info("prob", TensorProto.FLOAT, shape_out)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="zooscope-tools")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def em_crop(h, w, frame, channels=1):
    """Real EM crops (the bundled CDeep3M sample, samples/README.md; one slice per channel), never invented pixels."""
    stack = Image.open("samples/sbem-mito-512x512x5.tif")
    planes = []
    for c in range(channels):
        stack.seek(frame + c)
        planes.append(np.asarray(stack.convert("L"), dtype=np.float32)[:h, :w])
    return np.stack(planes).reshape(1, channels, h, w)


def expected(x):
    """scale_range 0..100 over y, x (each channel its own range), the convolution, the sigmoid."""
    channels, h, w = x.shape[1:]
    k = kernel(channels)
    z = np.full((h, w), float(BIAS[0]))
    for c in range(channels):
        xc = x[0, c].astype(np.float64)
        p = np.pad((xc - xc.min()) / (xc.max() - xc.min() + 1e-6), 1)
        z += sum(k[0, c, dy, dx] * p[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3))
    return (1 / (1 + np.exp(-z))).astype(np.float32).reshape(1, 1, h, w)


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


# what the README of a package says its network is, where it is not the 3x3 convolution alone
NETWORKS = {"half-res-output": "2x2 average pooling, a 3x3 convolution", "3d": "3x3x3 convolution"}


def write(name, model, h, w, frame, description, channel_last=False, channels=1, background=False):
    x = em_crop(h, w, frame, channels)
    y = expected(x)
    if background:
        y = np.concatenate([1 - y, y], axis=1)
    if channel_last:
        x, y = x.transpose(0, 2, 3, 1).copy(), y.transpose(0, 2, 3, 1).copy()
    write_tensors(name, model, x, y, description)


def write_tensors(name, model, x, y, description):
    """A package of the model, its test tensors as given and the description with their sha256 filled in."""
    out = os.path.join(root, name)
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, "weights.onnx"))
    np.save(os.path.join(out, "test_input.npy"), x)
    np.save(os.path.join(out, "test_output.npy"), y)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(f"# {name} (tiling fixture)\n\nWritten by Zooscope's tools/make_shape_fixtures.py: a fixed "
                f"{NETWORKS.get(name, '3x3 convolution')} and a sigmoid behind a declared input size. "
                "Not a segmentation model.\n")
    desc = (description.replace("@W@", sha(os.path.join(out, "weights.onnx")))
            .replace("@I@", sha(os.path.join(out, "test_input.npy")))
            .replace("@O@", sha(os.path.join(out, "test_output.npy"))))
    file = "rdf.yaml" if "format_version: 0.4" in desc else "bioimageio.yaml"
    with open(os.path.join(out, file), "w") as f:
        f.write(desc)


V05 = """format_version: 0.5.4
type: model
id: {id}
name: {name}
description: {text}
version: "1"
license: MIT
authors:
  - name: Zooscope developers
cite:
  - text: "Zooscope test fixture (tools/make_shape_fixtures.py)"
    url: https://example.org/zooscope
tags: [test-fixture]
documentation: README.md
inputs:
  - id: input
    axes:
      - type: batch
      - type: channel
        channel_names: [raw]
      - type: space
        id: y
        size: {y}
      - type: space
        id: x
        size: {x}
    test_tensor: {{source: test_input.npy, sha256: @I@}}
    preprocessing:
      - id: scale_range
        kwargs: {{min_percentile: 0, max_percentile: 100, axes: [y, x]}}
outputs:
  - id: prob
    axes:
      - type: batch
      - type: channel
        channel_names: [foreground]
      - type: space
        id: y
        size: {{tensor_id: input, axis_id: y}}
        halo: 1
      - type: space
        id: x
        size: {{tensor_id: input, axis_id: x}}
        halo: 1
    test_tensor: {{source: test_output.npy, sha256: @O@}}
weights:
  onnx:
    source: weights.onnx
    sha256: @W@
    opset_version: 17
config:
  zooscope:
    structure: test
    modality: electron microscopy
"""

V04 = """format_version: 0.4.9
type: model
name: Fixed 256 (format 0.4 tiling fixture)
description: A 3x3 smoothing and a sigmoid behind an input fixed at 1x1x256x256, described in format 0.4.
version: 0.1.0
license: MIT
authors:
- name: Zooscope developers
cite:
- text: Zooscope test fixture (tools/make_shape_fixtures.py)
  url: https://example.org/zooscope
tags: [test-fixture, electron-microscopy]
timestamp: '2026-12-02T00:00:00'
documentation: README.md
inputs:
- axes: bcyx
  data_range: [-.inf, .inf]
  data_type: float32
  name: input
  preprocessing:
  - kwargs: {axes: xy, max_percentile: 100, min_percentile: 0, mode: per_sample}
    name: scale_range
  shape: [1, 1, 256, 256]
outputs:
- axes: bcyx
  data_range: [0.0, 1.0]
  data_type: float32
  halo: [0, 0, 1, 1]
  name: prob
  shape:
    offset: [0.0, 0.0, 0.0, 0.0]
    reference_tensor: input
    scale: [1.0, 1.0, 1.0, 1.0]
test_inputs: [test_input.npy]
test_outputs: [test_output.npy]
weights:
  onnx:
    opset_version: 17
    sha256: @W@
    source: weights.onnx
"""

write("fixed-512", graph([512, 512]), 512, 512, 0, V05.format(
    id="fixed-512", name="Fixed 512 (tiling fixture)", y=512, x=512,
    text="A 3x3 smoothing and a sigmoid behind an ONNX input fixed at 1x1x512x512."))
write("min-step", graph(["y", "x"], guard=(16, (48, 32))), 112, 112, 1, V05.format(
    id="min-step", name="Min and step (tiling fixture)", y="{min: 64, step: 48}", x="{min: 80, step: 32}",
    text="A 3x3 smoothing and a sigmoid taking y = 64 + n*48 and x = 80 + n*32 px only."))
write("fixed-256-v04", graph([256, 256]), 256, 256, 2, V04)


def channel_last(description):
    """The same description with each tensor's channel axis moved after x."""
    for names in ("[raw]", "[foreground]"):
        block = f"      - type: channel\n        channel_names: {names}\n"
        start = description.index(block)
        description = description[:start] + description[start + len(block):]
        x_axis = description.index("        id: x\n", start)
        end = description.index("\n    test_tensor", x_axis) + 1
        description = description[:end] + block + description[end:]
    return description


write("channel-last", graph(["y", "x"], channel_last=True), 96, 96, 3, channel_last(V05.format(
    id="channel-last", name="Channel last (tiling fixture)", y="{min: 16, step: 8}", x="{min: 16, step: 8}",
    text="A 3x3 smoothing and a sigmoid on batch, y, x, channel tensors, as TensorFlow exports them.")),
    channel_last=True)

write("two-channel", graph(["y", "x"], channels=2), 96, 96, 3, V05.format(
    id="two-channel", name="Two channels (tiling fixture)", y="{min: 16, step: 8}", x="{min: 16, step: 8}",
    text="A 3x3 smoothing over two input channels of one image (not z-frames) and a sigmoid.")
    .replace("channel_names: [raw]", "channel_names: [nuclei, membranes]"), channels=2)

write("two-output", graph(["y", "x"], background=True), 96, 96, 4, V05.format(
    id="two-output", name="Two output channels (tiling fixture)", y="{min: 16, step: 8}", x="{min: 16, step: 8}",
    text="A 3x3 smoothing and a two-class output, background then foreground.")
    .replace("channel_names: [foreground]", "channel_names: [background, foreground]"), background=True)


def finish(nodes, inits, shape_in, shape_out):
    """A checked opset-17 model of one input and one output (the shared tail of the graphs below)."""
    g = helper.make_graph(nodes, "shape_fixture",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape_in)],
                          [helper.make_tensor_value_info("prob", TensorProto.FLOAT, shape_out)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="zooscope-tools")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def scaled(x):
    """scale_range 0..100 over every axis but batch and channel (one channel), in float64."""
    x = x.astype(np.float64)
    return (x - x.min()) / (x.max() - x.min() + 1e-6)


def sigmoid(z):
    return (1 / (1 + np.exp(-z))).astype(np.float32)


# half-res-output: 2x2 average pooling (stride 2), then the 3x3 smoothing and the sigmoid on the half-size grid
half_graph = finish(
    [helper.make_node("AveragePool", ["input"], ["half"], kernel_shape=[2, 2], strides=[2, 2]),
     helper.make_node("Conv", ["half", "w", "b"], ["z"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
     helper.make_node("Sigmoid", ["z"], ["prob"])],
    [helper.make_tensor("w", TensorProto.FLOAT, KERNEL.shape, KERNEL.flatten()),
     helper.make_tensor("b", TensorProto.FLOAT, BIAS.shape, BIAS)],
    ["n", 1, "y", "x"], ["n", 1, "y2", "x2"])
half_in = em_crop(96, 128, 2)
half = scaled(half_in[0, 0])
half = half.reshape(48, 2, 64, 2).mean(axis=(1, 3))
half_p = np.pad(half, 1)
half_z = BIAS[0] + sum(KERNEL[0, 0, dy, dx] * half_p[dy:dy + 48, dx:dx + 64] for dy in range(3) for dx in range(3))
write_tensors("half-res-output", half_graph, half_in, sigmoid(half_z).reshape(1, 1, 48, 64), V05.format(
    id="half-res-output", name="Half-resolution output (tiling fixture)", y="{min: 64, step: 32}",
    x="{min: 64, step: 32}",
    text="A 2x2 average pooling, a 3x3 smoothing and a sigmoid; the output is at half the input's resolution.")
    .replace("        size: {tensor_id: input, axis_id: y}\n        halo: 1\n",
             "        size: {tensor_id: input, axis_id: y}\n        scale: 2.0\n        halo: 1\n")
    .replace("        size: {tensor_id: input, axis_id: x}\n        halo: 1\n",
             "        size: {tensor_id: input, axis_id: x}\n        scale: 2.0\n        halo: 1\n"))

# 3d: the smoothing's 3-D counterpart ([1, 2, 1] on each axis, summing to 8 as the 2-D kernel does) and the sigmoid
W3 = np.einsum("i,j,k->ijk", *[np.array([1, 2, 1], dtype=np.float32)] * 3).reshape(1, 1, 3, 3, 3) / 8
cube_graph = finish(
    [helper.make_node("Conv", ["input", "w", "b"], ["z"], pads=[1] * 6, kernel_shape=[3, 3, 3]),
     helper.make_node("Sigmoid", ["z"], ["prob"])],
    [helper.make_tensor("w", TensorProto.FLOAT, W3.shape, W3.flatten()),
     helper.make_tensor("b", TensorProto.FLOAT, BIAS.shape, BIAS)],
    ["n", 1, "z", "y", "x"], ["n", 1, "z", "y", "x"])
cube_in = np.stack([em_crop(64, 64, f)[0, 0] for f in range(5)]).reshape(1, 1, 5, 64, 64)
cube_p = np.pad(scaled(cube_in[0, 0]), 1)
cube_z = BIAS[0] + sum(W3[0, 0, dz, dy, dx] * cube_p[dz:dz + 5, dy:dy + 64, dx:dx + 64]
                       for dz in range(3) for dy in range(3) for dx in range(3))
cube_text = (V05.format(id="3d", name="3D convolution (tiling fixture)", y="{min: 16, step: 8}",
                        x="{min: 16, step: 8}", text="A 3x3x3 smoothing and a sigmoid on batch, channel, z, y, x.")
             .replace("axes: [y, x]", "axes: [z, y, x]"))
for z_axis in ("      - type: space\n        id: z\n        size: {min: 3, step: 2}\n",
               "      - type: space\n        id: z\n        size: {tensor_id: input, axis_id: z}\n        halo: 1\n"):
    # the z axis goes before y, in the input first, then in the output
    at = cube_text.index("      - type: space\n        id: y\n", 0 if "min" in z_axis else cube_text.index("outputs:"))
    cube_text = cube_text[:at] + z_axis + cube_text[at:]
write_tensors("3d", cube_graph, cube_in, sigmoid(cube_z).reshape(1, 1, 5, 64, 64), cube_text)
