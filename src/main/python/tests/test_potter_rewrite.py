"""The exported rewrite computes the reference module's function. Run from src/main/python:
    /usr/bin/python3 -m unittest discover -s tests -v
"""
import os
import sys
import unittest

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import export_potter  # noqa: E402
import potter_model  # noqa: E402
import potter_rewrite  # noqa: E402

# The bound, in normalised output units.
TOLERANCE = 1e-4


def random_model(cfg, seed):
    model = potter_model.build(cfg)
    export_potter.randomise(model, seed)
    return model


def crops(batch, seed):
    return torch.randn(batch, 3, 224, 224, generator=torch.Generator().manual_seed(seed))


class AveragingMatrixTest(unittest.TestCase):
    def test_equals_adaptive_pooling_for_divisible_overlapping_and_repeated_bins(self):
        for length in range(1, 17):
            x = torch.randn(3, length, dtype=torch.float64)
            expected = F.adaptive_avg_pool1d(x.unsqueeze(0), 4)[0]
            actual = x @ potter_rewrite.averaging_matrix(length, 4).double()
            torch.testing.assert_close(actual, expected, rtol=0, atol=1e-7, msg=f"length {length}")

    def test_bins_of_seven_overlap_like_the_reference(self):
        matrix = potter_rewrite.averaging_matrix(7, 4)
        self.assertEqual([0.5, 2.0, 4.0, 5.5], (torch.arange(7.0) @ matrix).tolist())


class MatmulPoolAttnTest(unittest.TestCase):
    def test_equals_poolattn_for_every_group_width_and_odd_sizes(self):
        torch.manual_seed(4)
        for channels, h, w in [(64, 7, 7), (96, 5, 9), (128, 14, 14), (320, 2, 3)]:
            attn = potter_model.PoolAttn(channels).eval()
            with torch.no_grad():
                attn.norm.weight.normal_(1.0, 0.2)
                attn.norm.bias.normal_(0.0, 0.2)
                x = torch.randn(2, channels, h, w)
                expected = attn(x)
                actual = torch.jit.script(potter_rewrite.MatmulPoolAttn(attn))(x)
            torch.testing.assert_close(actual, expected, rtol=0, atol=1e-5, msg=f"{channels}x{h}x{w}")


class SubpixelPatchSplitTest(unittest.TestCase):
    def test_equals_nearest_upsampling_then_3x3_conv_at_every_border_and_size(self):
        torch.manual_seed(6)
        for in_ch, out_ch, h, w, norm in [(128, 64, 28, 28, False), (320, 128, 7, 9, True), (8, 4, 1, 1, False), (16, 8, 2, 5, True)]:
            split = potter_model.PatchSplit(2, in_ch, out_ch, norm).eval()
            x = torch.randn(2, in_ch, h, w)
            with torch.no_grad():
                expected = split(x)
                actual = torch.jit.script(potter_rewrite.SubpixelPatchSplit(split))(x)
            self.assertEqual((2, out_ch, 2 * h, 2 * w), tuple(actual.shape))
            torch.testing.assert_close(actual, expected, rtol=0, atol=1e-5, msg=f"{in_ch}->{out_ch} at {h}x{w}")

    def test_stride_one_splits_are_left_as_they_are(self):
        split = potter_model.PatchSplit(1, 8, 4, False)
        self.assertIs(split, potter_rewrite.subpixel(split))


class RewriteTest(unittest.TestCase):
    def assert_same_function(self, cfg, model, rewritten, batch=2):
        x = crops(batch, 9)
        with torch.no_grad():
            expected = model(x)
            actual = torch.jit.script(rewritten)(x)
        self.assertEqual(expected.shape, actual.shape)
        diff = (actual - expected).abs().max().item()
        self.assertLess(diff, TOLERANCE)
        self.assertGreater(expected.abs().max().item(), 0.1)

    def test_each_rewrite_alone_and_together_on_tiny(self):
        model = random_model(potter_model.TINY, 3)
        only = {"pools": False, "splits": False, "head": False}
        for kw in ({**only, "pools": True}, {**only, "splits": True}, {**only, "head": True}, {}):
            with self.subTest(**kw):
                self.assert_same_function(potter_model.TINY, model, potter_rewrite.rewrite(model, potter_model.TINY, **kw))

    def test_s12_rewrite_equals_the_reference(self):
        model = random_model(potter_model.S12, 1)
        self.assert_same_function(potter_model.S12, model, potter_rewrite.rewrite(model, potter_model.S12), batch=1)

    def test_head_stays_exact_when_the_volume_mean_is_far_from_zero(self):
        # The folded head subtracts count * mean from sums of the GELU output and mean^2 from the mean
        # square: cancellation grows with the mean; the final layer's bias shifts the whole volume.
        model = random_model(potter_model.TINY, 5)
        with torch.no_grad():
            model.final_layer.bias.add_(30.0)
        self.assert_same_function(potter_model.TINY, model, potter_rewrite.rewrite(model, potter_model.TINY))

    def test_leaves_the_reference_module_and_its_state_dict_untouched(self):
        model = random_model(potter_model.TINY, 3)
        before = {k: v.clone() for k, v in model.state_dict().items()}
        potter_rewrite.rewrite(model, potter_model.TINY)
        after = model.state_dict()
        self.assertEqual(list(before), list(after))
        for k, v in before.items():
            torch.testing.assert_close(after[k], v, rtol=0, atol=0)

    def test_rewritten_module_has_no_adaptive_pool_of_the_embed_wise_attention_and_no_volume_norm(self):
        rewritten = torch.jit.script(potter_rewrite.rewrite(random_model(potter_model.TINY, 3), potter_model.TINY))
        mixer = dict(rewritten.named_modules())["poolattnformer_pose.poolattn_cls.network.0.0.token_mixer"]
        # Two adaptive pools left: the patch-wise ones.
        self.assertEqual(2, str(mixer.inlined_graph).count("aten::adaptive_avg_pool2d"))
        self.assertNotIn("aten::group_norm", str(rewritten.head.inlined_graph))

    def test_half_rewrite_scripts_with_float16_tensors(self):
        # CPU PyTorch 1.13 has no float16 convolutions: only the structure is checked here.
        rewritten = potter_rewrite.rewrite(random_model(potter_model.TINY, 3), potter_model.TINY).half()
        scripted = torch.jit.script(rewritten)
        self.assertEqual({torch.float16}, {t.dtype for t in scripted.state_dict().values()})


if __name__ == "__main__":
    unittest.main()
