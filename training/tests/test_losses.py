import os
import sys
import unittest

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from zooscope_train import losses  # noqa: E402


class LossTest(unittest.TestCase):
    def setUp(self):
        g = torch.Generator().manual_seed(0)
        self.logits = torch.randn(2, 1, 6, 6, generator=g) * 3
        self.y = (torch.rand(2, 1, 6, 6, generator=g) > 0.6).float()

    def test_focal_gamma0_is_bce(self):
        self.assertAlmostEqual(float(losses.focal(self.logits, self.y, gamma=0)),
                               float(F.binary_cross_entropy_with_logits(self.logits, self.y)), places=6)

    def test_focal_weights_hard_pixels(self):
        # one easy negative (logit -4, label 0) and one hard negative (logit +2, label 0): focal keeps a larger share
        # of the hard pixel's loss than BCE does
        lg, y = torch.tensor([-4.0, 2.0]), torch.zeros(2)
        bce = F.binary_cross_entropy_with_logits(lg, y, reduction="none")
        f = torch.stack([losses.focal(lg[i:i + 1], y[i:i + 1], gamma=2) for i in range(2)])
        self.assertGreater(float(f[1] / f[0]), float(bce[1] / bce[0]))
        self.assertTrue(torch.all(f < bce))
        # by hand: p = sigmoid(2), weight p^2
        p = torch.sigmoid(torch.tensor(2.0))
        self.assertAlmostEqual(float(f[1]), float(p ** 2 * bce[1]), places=6)

    def test_focal_alpha(self):
        lg, y = torch.tensor([0.0, 0.0]), torch.tensor([1.0, 0.0])
        # at p = 0.5 both pixels have bce log 2 and weight 0.25; alpha 0.75 weights them 0.75 / 0.25
        v = float(losses.focal(lg, y, gamma=2, alpha=0.75))
        self.assertAlmostEqual(v, (0.75 + 0.25) * 0.25 * float(torch.log(torch.tensor(2.0))) / 2, places=6)

    def test_ohem_fraction1_is_bce(self):
        self.assertAlmostEqual(float(losses.ohem(self.logits, self.y, fraction=1.0)),
                               float(F.binary_cross_entropy_with_logits(self.logits, self.y)), places=6)

    def test_ohem_keeps_hardest(self):
        lg = torch.tensor([-5.0, -1.0, 0.0, 3.0])   # label 0: losses increase left to right
        y = torch.zeros(4)
        bce = F.binary_cross_entropy_with_logits(lg, y, reduction="none")
        self.assertAlmostEqual(float(losses.ohem(lg, y, fraction=0.5)), float(bce[2:].mean()), places=6)
        self.assertAlmostEqual(float(losses.ohem(lg, y, fraction=0.01, min_pixels=1)), float(bce[3]), places=6)

    def test_setting_picks_loss(self):
        d = float(losses.soft_dice(self.logits, self.y))
        for s, term in [({}, F.binary_cross_entropy_with_logits(self.logits, self.y)),
                        ({"loss": "focal", "focal_gamma": 2}, losses.focal(self.logits, self.y, 2.0)),
                        ({"loss": "ohem", "ohem_fraction": 0.3}, losses.ohem(self.logits, self.y, 0.3))]:
            self.assertAlmostEqual(float(losses.training_loss(self.logits, self.y, s)), float(term) + d, places=6)
        with self.assertRaises(ValueError):
            losses.training_loss(self.logits, self.y, {"loss": "nope"})

    def test_gradient_flows(self):
        lg = self.logits.clone().requires_grad_(True)
        losses.training_loss(lg, self.y, {"loss": "ohem"}).backward()
        self.assertTrue(torch.isfinite(lg.grad).all())


if __name__ == "__main__":
    unittest.main()
