#!/usr/bin/env python3
"""Writes the walking skeleton's test model: a fixed-weight 3x3 convolution followed by a sigmoid, as a
bioimage.io (format 0.5) package. Not a segmentation model: a small, exactly known ONNX graph that lets the
end-to-end test compare the pipeline's pixels with running the same model directly.

Run from the repository root with Debian's python3-onnx and numpy:
    /usr/bin/python3 tools/make_skeleton_model.py system-tests/src/test/resources/models/skeleton-smooth
The test tensors are cut from a real EM slice of ../shared/data (cdeep3m-mito, see samples/README.md).
"""
import hashlib
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper
from PIL import Image

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

# 3x3 kernel: a centre-weighted smoothing minus its mean level, so the output depends on the neighbourhood
kernel = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float32) / 16.0
w = (kernel * 8.0).reshape(1, 1, 3, 3).astype(np.float32)
b = np.array([-4.0], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("Conv", ["input", "w", "b"], ["z"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
     helper.make_node("Sigmoid", ["z"], ["prob"])],
    "skeleton_smooth",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 1, "h", "w"])],
    [helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["n", 1, "h", "w"])],
    [helper.make_tensor("w", TensorProto.FLOAT, w.shape, w.flatten()),
     helper.make_tensor("b", TensorProto.FLOAT, b.shape, b)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="zooscope-tools")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "weights.onnx"))

# test tensors: a real EM crop, scaled as the declared preprocessing does (scale_range 0..100 percentile)
img = np.asarray(Image.open("../shared/data/cdeep3m-mito/training/images/images.010.png").convert("L"), dtype=np.float32)
x = img[100:164, 200:264].reshape(1, 1, 64, 64)
np.save(os.path.join(out, "test_input.npy"), x)
lo, hi = x.min(), x.max()
xn = (x - lo) / (hi - lo + 1e-6)
pad = np.pad(xn[0, 0], 1)
conv = np.zeros((64, 64), dtype=np.float64)
for dy in range(3):
    for dx in range(3):
        conv += w[0, 0, dy, dx] * pad[dy:dy + 64, dx:dx + 64]
y = (1 / (1 + np.exp(-(conv + b[0])))).astype(np.float32).reshape(1, 1, 64, 64)
np.save(os.path.join(out, "test_output.npy"), y)


def sha(name):
    return hashlib.sha256(open(os.path.join(out, name), "rb").read()).hexdigest()


yaml = f"""format_version: 0.5.4
type: model
id: skeleton-smooth
name: Skeleton smooth (test model)
description: A fixed 3x3 smoothing convolution and a sigmoid. A test fixture for the pipeline, not a segmentation model.
version: "1"
license: MIT
authors:
  - name: Zooscope developers
cite:
  - text: "Zooscope test fixture (tools/make_skeleton_model.py)"
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
        size: {{min: 8, step: 1}}
      - type: space
        id: x
        size: {{min: 8, step: 1}}
    test_tensor: {{source: test_input.npy, sha256: {sha('test_input.npy')}}}
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
    test_tensor: {{source: test_output.npy, sha256: {sha('test_output.npy')}}}
weights:
  onnx:
    source: weights.onnx
    sha256: {sha('weights.onnx')}
    opset_version: 17
config:
  zooscope:
    component: test
    structure: test
    modality: electron microscopy
    organism: none
    frames: 1
"""
open(os.path.join(out, "bioimageio.yaml"), "w").write(yaml)
open(os.path.join(out, "README.md"), "w").write(
    "# skeleton-smooth\n\nTest fixture made by `tools/make_skeleton_model.py`: Conv 3x3 (fixed weights) + Sigmoid.\n")
print("wrote", out)
