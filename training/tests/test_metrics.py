"""The label-fitting measures (zooscope_train/metrics.py) on small arrays."""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from zooscope_train import metrics  # noqa: E402


def grid(n=24, lines=(8, 16), width=1):
    """A membrane map: horizontal and vertical lines at ``lines`` (and the border), cutting 9 regions."""
    m = np.zeros((n, n), bool)
    for c in (0, *lines, n - width):
        m[c:c + width, :] = True
        m[:, c:c + width] = True
    return m


def rand(pred, gt):
    return metrics.rand_summary(metrics.rand_counts(pred, gt))


class RandTest(unittest.TestCase):
    def test_identical_is_one(self):
        g = grid()
        r = rand(g, g)
        self.assertAlmostEqual(r["v_rand"], 1.0)
        self.assertAlmostEqual(r["v_split"], 1.0)
        self.assertAlmostEqual(r["v_merge"], 1.0)

    def test_only_ground_truth_foreground_counts(self):
        # a prediction with thinner membranes (a subset of the true membrane pixels) gives the same regions on the
        # ground truth's foreground: the true membrane pixels are not scored
        g = grid(width=2)
        p = grid(width=1)
        self.assertTrue((g | ~p).all())
        self.assertAlmostEqual(rand(p, g)["v_rand"], 1.0)
        # thicker predicted membranes cover true foreground pixels: singletons, lower split score
        self.assertLess(rand(g, p)["v_split"], 1.0)

    def test_split_lowers_split_score_only(self):
        g = grid()
        p = g.copy()
        p[4, :] = True                               # cuts the top row of regions in two
        r = rand(p, g)
        self.assertLess(r["v_split"], 1.0)
        self.assertLess(r["v_rand"], 1.0)
        # the cut's own pixels are singletons (1 in both sums): merge stays almost 1
        self.assertGreater(r["v_merge"], 0.97)

    def test_merge_lowers_merge_score_only(self):
        g = grid()
        p = g.copy()
        p[8, 1:8] = False                            # a gap in a membrane joins two regions
        r = rand(p, g)
        self.assertAlmostEqual(r["v_split"], 1.0)
        self.assertLess(r["v_merge"], 1.0)
        self.assertLess(r["v_rand"], 1.0)

    def test_by_hand(self):
        # ground truth: two regions of 2 pixels each; prediction: one region of all 4
        g = np.array([[0, 0, 1, 0, 0]], bool)
        p = np.zeros_like(g)
        c = metrics.rand_counts(p, g)
        self.assertEqual((c["sum_nij2"], c["sum_t2"], c["sum_s2"]), (8.0, 8.0, 16.0))
        r = metrics.rand_summary(c)
        self.assertAlmostEqual(r["v_split"], 1.0)
        self.assertAlmostEqual(r["v_merge"], 0.5)
        self.assertAlmostEqual(r["v_rand"], 2 * 0.5 / 1.5)

    def test_all_membrane_prediction_is_poor(self):
        g = grid()
        self.assertLess(rand(np.ones_like(g), g)["v_rand"], 0.05)


class ToleranceTest(unittest.TestCase):
    def test_shift_within_tolerance(self):
        g = np.zeros((20, 20), bool)
        g[10, :] = True
        for d, expect_one in ((1, True), (2, True), (3, False)):
            p = np.roll(g, d, axis=0)
            t = metrics.tolerance_summary(metrics.tolerance_counts(p, g, 2))
            self.assertEqual(abs(t["f1"] - 1.0) < 1e-9, expect_one, (d, t))
            self.assertLess(metrics.overlap_summary(metrics.overlap_counts(p, g))["f1"], 1.0)

    def test_precision_and_recall(self):
        g = np.zeros((20, 20), bool)
        g[5, :] = True
        p = g.copy()
        p[15, :] = True                               # a false line far away: precision 1/2, recall 1
        t = metrics.tolerance_summary(metrics.tolerance_counts(p, g, 2))
        self.assertAlmostEqual(t["precision"], 0.5)
        self.assertAlmostEqual(t["recall"], 1.0)
        self.assertAlmostEqual(t["f1"], 2 * 0.5 / 1.5)

    def test_empty(self):
        z = np.zeros((5, 5), bool)
        self.assertEqual(metrics.tolerance_summary(metrics.tolerance_counts(z, z))["f1"], 1.0)


class BlockTest(unittest.TestCase):
    def test_membrane_block_has_all_measures(self):
        g = grid()
        s = metrics.block_scores("membranes", [g.astype(np.float32)] * 2, [g, g])
        for k in ("iou", "f1", "f1_2px", "v_rand"):
            self.assertAlmostEqual(s[k], 1.0, msg=k)
        s = metrics.block_scores("mitochondria", [g.astype(np.float32)], [g])
        self.assertNotIn("v_rand", s)


if __name__ == "__main__":
    unittest.main()
