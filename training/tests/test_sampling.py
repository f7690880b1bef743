"""A training set restricted to primary variant 0 with secondary and tertiary 0 (what ``training/diagnose --overfit``
trains on) must yield plain crops of its volume and labels: no augmentation at all.

Run from the repository root: ``python3 -m unittest discover -s training/tests``."""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from zooscope_train import augment, trainer  # noqa: E402


def synthetic_set(variants):
    """A TrainingSet over a random 4-slice volume (no data files needed)."""
    ts = trainer.TrainingSet.__new__(trainer.TrainingSet)
    rng = np.random.default_rng(0)
    ts.name, ts.vol = "synthetic", rng.random((4, 48, 48)).astype(np.float32)
    ts.lab = (rng.random((4, 48, 48)) > 0.5).astype(np.uint8)
    ts.train, ts.tmin, ts.tmax = [0, 1, 2, 3], 0, 3
    ts.strength, ts.tertiary, ts.variants = augment.strengths(0), 0, variants
    return ts


def find_crop(ts, img, lab):
    """(z, y, x) of the unaugmented crop that equals the sample, or None."""
    p = img.shape[-1]
    for z in ts.train:
        for y in range(ts.vol.shape[1] - p + 1):
            for x in range(ts.vol.shape[2] - p + 1):
                if np.array_equal(ts.vol[z, y:y + p, x:x + p], img[0]) and \
                        np.array_equal(ts.lab[z, y:y + p, x:x + p], lab):
                    return z, y, x
    return None


class NoAugmentation(unittest.TestCase):
    def test_variant_0_only_gives_plain_crops(self):
        ts, rng = synthetic_set([0]), np.random.default_rng(1)
        for _ in range(20):
            img, lab = ts.sample(1, 16, rng, "uniform")
            self.assertIsNotNone(find_crop(ts, img, lab))

    def test_all_variants_do_rotate(self):
        # the check above must be able to fail: with all 16 variants most samples are no plain crop
        ts, rng = synthetic_set(list(range(16))), np.random.default_rng(1)
        plain = sum(find_crop(ts, *ts.sample(1, 16, rng, "uniform")) is not None for _ in range(20))
        self.assertLess(plain, 12)


if __name__ == "__main__":
    unittest.main()
