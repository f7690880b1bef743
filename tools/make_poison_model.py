#!/usr/bin/env python3
"""Writes a poison test model: a valid ONNX graph whose output is NaN everywhere (sqrt of a negative number).
A test fixture for the pipeline's failure path (a model that returns garbage must fail its job with the reason,
after the worker's retries, and its tasks go to the dead-letter topic). Not a segmentation model.

    /usr/bin/python3 tools/make_poison_model.py system-tests/src/test/resources/models/poison-nan
"""
import hashlib
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
one = np.array([1.0], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("Abs", ["input"], ["a"]),
     helper.make_node("Add", ["a", "one"], ["b"]),
     helper.make_node("Neg", ["b"], ["c"]),
     helper.make_node("Sqrt", ["c"], ["prob"])],
    "poison_nan",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 1, "h", "w"])],
    [helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["n", 1, "h", "w"])],
    [helper.make_tensor("one", TensorProto.FLOAT, [1], one)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="zooscope-tools")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "weights.onnx"))
x = np.zeros((1, 1, 16, 16), dtype=np.float32)
np.save(os.path.join(out, "test_input.npy"), x)
np.save(os.path.join(out, "test_output.npy"), np.full_like(x, np.nan))


def sha(name):
    return hashlib.sha256(open(os.path.join(out, name), "rb").read()).hexdigest()


open(os.path.join(out, "bioimageio.yaml"), "w").write(f"""format_version: 0.5.4
type: model
id: poison-nan
name: Poison NaN (test model)
description: Returns NaN for every pixel. A test fixture for the failure path, not a segmentation model.
version: "1"
license: MIT
authors:
  - name: Zooscope developers
cite:
  - text: "Zooscope test fixture (tools/make_poison_model.py)"
    url: https://example.org/zooscope
inputs:
  - id: input
    axes:
      - type: batch
      - type: channel
        channel_names: [raw]
      - {{type: space, id: y, size: {{min: 8, step: 1}}}}
      - {{type: space, id: x, size: {{min: 8, step: 1}}}}
    test_tensor: {{source: test_input.npy, sha256: {sha('test_input.npy')}}}
outputs:
  - id: prob
    axes:
      - type: batch
      - type: channel
        channel_names: [foreground]
      - {{type: space, id: y, size: {{tensor_id: input, axis_id: y}}}}
      - {{type: space, id: x, size: {{tensor_id: input, axis_id: x}}}}
    test_tensor: {{source: test_output.npy, sha256: {sha('test_output.npy')}}}
weights:
  onnx: {{source: weights.onnx, sha256: {sha('weights.onnx')}, opset_version: 17}}
config:
  zooscope: {{component: test, structure: test, modality: electron microscopy, frames: 1}}
""")
print("wrote", out)
