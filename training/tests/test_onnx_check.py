"""onnx_check must run an exported U-Net like torch does, and must catch a test output that the graph does not
reproduce. Run from the repository root: ``python3 -m unittest discover -s training/tests``."""
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from zooscope_train import onnx_check, package  # noqa: E402
from zooscope_train.unet import UNet  # noqa: E402


class OnnxCheck(unittest.TestCase):
    def test_exported_graph_matches_torch_and_mismatch_is_caught(self):
        torch.manual_seed(0)
        for kw in ({"in_channels": 3, "base": 4, "depth": 2}, {"in_channels": 1, "base": 4, "depth": 2, "scale": 2}):
            with self.subTest(**kw), tempfile.TemporaryDirectory() as d:
                m = UNet(**kw, sigmoid=True).eval()
                for p in m.modules():  # non-trivial BatchNorm statistics, so folding them is exercised
                    if isinstance(p, torch.nn.BatchNorm2d):
                        p.running_mean.uniform_(-0.5, 0.5)
                        p.running_var.uniform_(0.5, 2.0)
                path = os.path.join(d, "w.onnx")
                package.export_onnx(m, kw["in_channels"], path)
                x = np.random.default_rng(0).random((1, kw["in_channels"], 64, 64), dtype=np.float32)
                with torch.no_grad():
                    want = m(torch.from_numpy(x)).numpy()
                worst, failing = onnx_check.check(path, x, want)
                self.assertEqual(failing, 0, worst)
                _, failing = onnx_check.check(path, x, want + 0.01)
                self.assertEqual(failing, want.size)


if __name__ == "__main__":
    unittest.main()
