"""Geometric augmentation must move a label exactly as it moves the frame the label belongs to (the centre frame).

Run from the repository root: ``python3 -m unittest discover -s training/tests``."""
import os
import sys
import unittest

import numpy as np
from scipy import ndimage

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from zooscope_train import augment  # noqa: E402

PATCH = 96


def blob_label(seed):
    """A binary mask with mitochondrion-sized blobs: smoothed noise thresholded to ~30 % foreground."""
    r = ndimage.gaussian_filter(np.random.default_rng(seed).normal(size=(PATCH, PATCH)), 4)
    return (r > np.percentile(r, 70)).astype(np.uint8)


def geometric_only(strength):
    """Intensity ops off (they would change the label-as-image's values), skew and elastic on."""
    st = augment.strengths(0)
    st["skew"] = strength
    st["elastic"] = strength
    return st


class LabelFollowsImage(unittest.TestCase):
    def check(self, frames, variant, seed):
        lab = blob_label(seed)
        img = np.repeat(lab[None].astype(np.float32), frames, axis=0)  # the label as every frame of the image
        rng = np.random.default_rng(seed)
        img2, lab2 = augment.apply_variant(img, lab, variant, geometric_only(5), rng)
        centre = (img2[frames // 2] > 0.5).astype(np.uint8)
        mismatch = int((centre != lab2).sum())
        self.assertEqual(mismatch, 0, f"{frames} frame(s), variant {variant}: {mismatch} px differ "
                                      f"(label {int(lab2.sum())} px)")
        return lab, lab2

    def test_every_variant_1_3_5_frames(self):
        for frames in (1, 3, 5):
            for variant in range(16):
                with self.subTest(frames=frames, variant=variant):
                    self.check(frames, variant, seed=100 * frames + variant)

    def test_elastic_variants_really_deform(self):
        # guards the test above against passing because the ops did nothing
        for frames in (1, 3, 5):
            for variant in (12, 13, 14, 15):
                with self.subTest(frames=frames, variant=variant):
                    lab, lab2 = self.check(frames, variant, seed=7 + variant)
                    rigid = augment.dihedral(lab, variant % 8)
                    self.assertGreater(int((lab2 != rigid).sum()), 0.01 * lab.size)


if __name__ == "__main__":
    unittest.main()
