"""The sizes a package declares must be legal for its halo: bioimage.io 0.5 wants min size - 2 halo >= 1, the worker's
consistency check wants a test output that 2 halo does not cover, and every size must be min + k step.

Run from the repository root: ``python3 -m unittest discover -s training/tests``."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from zooscope_train import package  # noqa: E402


class DeclaredSizes(unittest.TestCase):
    def test_min_and_test_size_leave_output_after_the_halo(self):
        for step in (8, 16, 32):
            for halo in range(0, 200, step // 2):  # 2 halo a multiple of the step, as check_halo requires
                with self.subTest(step=step, halo=halo):
                    m, t = package.size_min(halo, step), package.test_size(halo, step)
                    self.assertEqual(m % step, 0)
                    self.assertGreaterEqual(m - 2 * halo, 1)
                    self.assertLess(m - step - 2 * halo, 1, "size_min is not the smallest legal size")
                    self.assertGreaterEqual(t, max(m, package.TEST_SIZE))
                    self.assertEqual((t - m) % step, 0)
                    self.assertLess(2 * halo, t)

    def test_halo_must_keep_tiles_legal(self):
        package.check_halo(80, 188, 32, log=lambda _: None)
        with self.assertRaises(ValueError):
            package.check_halo(72, 188, 32, log=lambda _: None)


if __name__ == "__main__":
    unittest.main()
