#!/usr/bin/env python3
"""Writes a STAND-IN for a model from the bioimage.io ecosystem: a format 0.4 package with ONNX weights that follows
the ecosystem's conventions (an rdf.yaml description; `name`-keyed tensors with `axes: bcyx`; a parameterised input
shape and an output shape referencing the input; `zero_mean_unit_variance` per-sample preprocessing over `xy`; a halo;
`test_input_0.npy` / `test_output_0.npy` naming; a float64 test input; sha256 only on the weights, as 0.4 packages have).

It is a stand-in because the real model zoo (https://bioimage.io) cannot be reached from where Zooscope is built:
no Zooscope code was written to fit it, and the upload tests must accept it unchanged. The network is a small
encoder-decoder (conv, ReLU, max-pool, nearest upsampling, skip connection, sigmoid) with fixed random weights: it is
not trained and segments nothing in particular.

Run from the repository root with Debian's python3-onnx and numpy:
    /usr/bin/python3 tools/make_ecosystem_standin.py <output dir>
"""
import hashlib
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(2024)


def conv_w(cout, cin, k):
    return (rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / (cin * k * k))).astype(np.float32)


w1, b1 = conv_w(4, 1, 3), (rng.standard_normal(4) * 0.1).astype(np.float32)
w2, b2 = conv_w(8, 4, 3), (rng.standard_normal(8) * 0.1).astype(np.float32)
w3, b3 = conv_w(1, 12, 3), np.array([0.1], dtype=np.float32)
inits = [helper.make_tensor(n, TensorProto.FLOAT, a.shape, a.flatten())
         for n, a in [("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2), ("w3", w3), ("b3", b3)]]
inits.append(helper.make_tensor("scales", TensorProto.FLOAT, [4], [1, 1, 2, 2]))
nodes = [
    helper.make_node("Conv", ["input0", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("Relu", ["c1"], ["r1"]),
    helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("Relu", ["c2"], ["r2"]),
    helper.make_node("Resize", ["r2", "", "scales"], ["u2"], mode="nearest"),
    helper.make_node("Concat", ["r1", "u2"], ["cat"], axis=1),
    helper.make_node("Conv", ["cat", "w3", "b3"], ["c3"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("Sigmoid", ["c3"], ["output0"]),
]
graph = helper.make_graph(nodes, "unet_lite",
                          [helper.make_tensor_value_info("input0", TensorProto.FLOAT, ["batch", 1, "y", "x"])],
                          [helper.make_tensor_value_info("output0", TensorProto.FLOAT, ["batch", 1, "y", "x"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], producer_name="pytorch",
                          producer_version="1.13.1")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "weights.onnx"))


def conv(x, w, b):
    c, h, wd = x.shape
    p = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    y = np.zeros((w.shape[0], h, wd))
    for o in range(w.shape[0]):
        for i in range(c):
            for dy in range(3):
                for dx in range(3):
                    y[o] += w[o, i, dy, dx] * p[i, dy:dy + h, dx:dx + wd]
        y[o] += b[o]
    return y


# a synthetic EM-like test image: bright cytoplasm, dark round organelles with a membrane, noise; uint8 values as float64
yy, xx = np.mgrid[0:96, 0:96]
img = 170 + 10 * np.sin(xx / 7.0) + rng.normal(0, 8, (96, 96))
for cy, cx, r in [(30, 30, 12), (60, 70, 16), (75, 20, 9)]:
    d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
    img[d < r] = 90 + rng.normal(0, 6, (d < r).sum())
    img[np.abs(d - r) < 1.5] = 40
x = np.clip(np.round(img), 0, 255).astype(np.float64).reshape(1, 1, 96, 96)
np.save(os.path.join(out, "test_input_0.npy"), x)

xn = (x - x.mean(axis=(2, 3), keepdims=True)) / (x.std(axis=(2, 3), keepdims=True) + 1e-6)
r1 = np.maximum(conv(xn[0], w1.astype(np.float64), b1), 0)
p1 = r1.reshape(4, 48, 2, 48, 2).max(axis=(2, 4))
r2 = np.maximum(conv(p1, w2.astype(np.float64), b2), 0)
u2 = r2.repeat(2, axis=1).repeat(2, axis=2)
c3 = conv(np.concatenate([r1, u2]), w3.astype(np.float64), b3)
y = (1 / (1 + np.exp(-c3))).astype(np.float32).reshape(1, 1, 96, 96)
np.save(os.path.join(out, "test_output_0.npy"), y)

with open(os.path.join(out, "README.md"), "w") as f:
    f.write("# UNet-lite mitochondria (ecosystem stand-in)\n\nA stand-in for a bioimage.io ecosystem model, written by "
            "Zooscope's tools/make_ecosystem_standin.py because the real zoo is unreachable from the build machine. "
            "Untrained fixed random weights: not for real use.\n")
sha = hashlib.sha256(open(os.path.join(out, "weights.onnx"), "rb").read()).hexdigest()
rdf = f"""attachments:
  files: []
authors:
- affiliation: Zooscope test fixtures
  name: Zooscope developers
cite:
- doi: 10.1007/978-3-319-24574-4_28
  text: 'Ronneberger et al. U-Net: Convolutional Networks for Biomedical Image Segmentation'
config:
  bioimageio:
    nickname: placid-heron-standin
    nickname_icon: "\\U0001F426"
covers: []
description: Stand-in for an ecosystem model (2D UNet-lite for mitochondria in EM), untrained, for upload tests.
documentation: README.md
format_version: 0.4.9
git_repo: https://github.com/bioimage-io/spec-bioimage-io
inputs:
- axes: bcyx
  data_range: [-.inf, .inf]
  data_type: float32
  name: input0
  preprocessing:
  - kwargs:
      axes: xy
      mode: per_sample
    name: zero_mean_unit_variance
  shape:
    min: [1, 1, 64, 64]
    step: [0, 0, 16, 16]
license: CC-BY-4.0
name: UNet-lite mitochondria EM (ecosystem stand-in)
outputs:
- axes: bcyx
  data_range: [0.0, 1.0]
  data_type: float32
  halo: [0, 0, 8, 8]
  name: output0
  shape:
    offset: [0.0, 0.0, 0.0, 0.0]
    reference_tensor: input0
    scale: [1.0, 1.0, 1.0, 1.0]
tags:
- electron-microscopy
- mitochondria
- 2d
- unet
- onnx
- semantic-segmentation
test_inputs:
- test_input_0.npy
test_outputs:
- test_output_0.npy
timestamp: '2023-01-17T14:35:21.716377'
type: model
version: 0.1.0
weights:
  onnx:
    opset_version: 15
    sha256: {sha}
    source: weights.onnx
"""
with open(os.path.join(out, "rdf.yaml"), "w") as f:
    f.write(rdf)
