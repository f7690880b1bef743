import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from zooscope_train import trainer  # noqa: E402
from zooscope_train.unet import UNet  # noqa: E402


def _randomise_norms(model, g):
    """Trained-looking batch-norm statistics (fresh ones are 0/1 and would hide a wrong channel mapping)."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.3)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=g) * 0.1)


class WidenTest(unittest.TestCase):
    def widened(self, frames, **arch):
        torch.manual_seed(1)
        narrow = UNet(in_channels=frames, sigmoid=False, **arch)
        _randomise_norms(narrow, torch.Generator().manual_seed(2))
        wide_arch = dict(arch, base=arch["base"] * 2)
        if "refine" in arch:
            wide_arch["refine"] = arch["refine"] * 2
        wide = UNet(in_channels=frames, sigmoid=False, **wide_arch)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "narrow.pt")
            torch.save(narrow.state_dict(), path)
            trainer.widen_from(wide, path, frames, np.random.default_rng(3), log=lambda m: None)
        return narrow, wide

    def assert_same_function(self, narrow, wide, frames, size):
        x = torch.randn(2, frames, size, size, generator=torch.Generator().manual_seed(4))
        for mode in ("eval", "train"):  # running statistics, then the batch's own
            getattr(narrow, mode)()
            getattr(wide, mode)()
            with torch.no_grad():
                a, b = narrow(x), wide(x)
            self.assertLess(float((a - b).abs().max()), 1e-3 * float(a.abs().max()), mode)

    def test_pooled_mito_architecture_computes_the_same(self):
        narrow, wide = self.widened(1, base=4, depth=3, scale=2, refine=4)
        self.assert_same_function(narrow, wide, 1, 64)

    def test_full_resolution_five_frames_computes_the_same(self):
        narrow, wide = self.widened(5, base=4, depth=2)
        self.assert_same_function(narrow, wide, 5, 32)

    def test_copies_read_by_different_weights(self):
        narrow, wide = self.widened(1, base=4, depth=2)
        w = wide.state_dict()["down.1.0.weight"]  # reads down.0's 8 channels: copies j and j + 4
        self.assertEqual(tuple(w.shape), (16, 8, 3, 3))
        self.assertFalse(torch.allclose(w[:, :4], w[:, 4:]))
        n = narrow.state_dict()["down.1.0.weight"]
        self.assertTrue(torch.allclose(w[:8, :4] + w[:8, 4:], n, atol=1e-6))  # shares sum to the original


if __name__ == "__main__":
    unittest.main()
