"""Tests of the synthetic-data trainer's crop and targets. Run from src/main/python:
    /usr/bin/python3 -m unittest discover -s tests -v
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import train_synthetic  # noqa: E402


class CropTest(unittest.TestCase):
    def test_crop_of_a_linear_ramp_follows_the_benchmark_affine(self):
        # I(x, y) = x / 2 in every channel: bilinear interpolation of a linear image is exact, so the
        # crop at (u, v) must be the ramp at the source point of the inverse affine, (u - tx) / k.
        xs = np.arange(512, dtype=np.float64)
        image = np.repeat(np.repeat((xs / 2.0)[None, :, None], 512, axis=0), 3, axis=2).astype(np.uint8)
        box = (288.72, 325.86, 449.42, 473.67)
        k = 224 / (1.25 * 160.70)
        tx = 112 - k * (288.72 + 449.42) / 2
        out = train_synthetic.crop(image, box)
        self.assertEqual((3, 224, 224), out.shape)
        for u in (0, 57, 111, 223):
            x = (u - tx) / k
            lo = np.floor(x)
            expected = (np.floor(lo / 2) * (1 - (x - lo)) + np.floor((lo + 1) / 2) * (x - lo))
            self.assertAlmostEqual(expected, float(out[0, 100, u]), delta=0.51)

    def test_outside_the_image_is_black(self):
        image = np.full((512, 512, 3), 200, dtype=np.uint8)
        out = train_synthetic.crop(image, (0.0, 0.0, 100.0, 100.0))
        self.assertEqual(0, out[:, 0, 0].max())  # source (-12.5, -12.5): outside
        self.assertEqual(200, out[:, 112, 112].min())  # the box centre

    def test_targets_are_wrist_relative_and_normalised_with_the_joint_tables(self):
        mean, std = train_synthetic.JOINT_MEAN, train_synthetic.JOINT_STD
        self.assertEqual((21, 3), mean.shape)
        self.assertAlmostEqual(24.517984, float(mean[1, 2]), places=4)
        self.assertAlmostEqual(44.075836, float(std[1, 1]), places=4)
        self.assertEqual(0.0, float(std[0].max()))


if __name__ == "__main__":
    unittest.main()
