"""Tests of the POTTER definition and its exporter. Run from src/main/python:
    /usr/bin/python3 -m unittest discover -s tests -v
"""
import json
import os
import sys
import tempfile
import unittest

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import export_potter  # noqa: E402
import potter_model  # noqa: E402

REFERENCE_KEYS = os.path.join(HERE, "data", "potter_s12_state_dict_keys.tsv")


def reference_shapes():
    shapes = {}
    with open(REFERENCE_KEYS) as f:
        for line in f:
            name, shape = line.rstrip("\n").split("\t")
            shapes[name] = json.loads(shape)
    return shapes


class S12ArchitectureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = potter_model.build(potter_model.S12)

    def test_state_dict_equals_the_baseline_name_for_name_and_shape_for_shape(self):
        expected = reference_shapes()
        actual = {k: list(v.shape) for k, v in self.model.state_dict().items()}
        self.assertEqual(416, len(expected))
        self.assertEqual(expected, actual)

    def test_parameter_count_is_the_baselines(self):
        self.assertEqual(14_572_363, sum(p.numel() for p in self.model.parameters()))

    def test_macs_close_to_the_published_5_23_gmac(self):
        macs = potter_model.count_macs(self.model)
        self.assertAlmostEqual(5.23e9, macs, delta=0.05e9)

    def test_output_is_21_by_3_per_crop(self):
        with torch.no_grad():
            out = self.model(torch.zeros(2, 3, 224, 224))
        self.assertEqual((2, 21, 3), tuple(out.shape))


class TinyConfigTest(unittest.TestCase):
    def test_tiny_is_at_least_50x_cheaper_than_s12(self):
        s12 = potter_model.count_macs(potter_model.build(potter_model.S12))
        tiny = potter_model.count_macs(potter_model.build(potter_model.TINY))
        self.assertGreaterEqual(s12 / tiny, 50.0)

    def test_tiny_shares_the_layer_names_of_s12(self):
        s12 = set(potter_model.build(potter_model.S12).state_dict())
        tiny = set(potter_model.build(potter_model.TINY).state_dict())
        self.assertTrue(tiny <= s12, sorted(tiny - s12))


class PoolAttnTest(unittest.TestCase):
    def test_patch_pooling_uses_pytorch_overlapping_bins(self):
        # Width 7 pooled to 4 bins covers [0,2),[1,4),[3,6),[5,7) (REFERENCE §3).
        x = torch.arange(7.0).reshape(1, 1, 1, 7)
        pooled = torch.nn.functional.adaptive_avg_pool2d(x, [1, 4])
        self.assertEqual([0.5, 2.0, 4.0, 5.5], pooled.flatten().tolist())

    def test_embed_wise_attention_groups_consecutive_channels(self):
        attn = potter_model.PoolAttn(64)
        with torch.no_grad():
            for proj in (attn.proj0, attn.proj1, attn.proj2):
                proj.weight.zero_()
                proj.bias.zero_()
            # proj1 passes the embed-wise product through; proj0 silences the patch-wise one.
            attn.proj1.weight[:, 0, 1, 1] = 1.0
            attn.proj2.weight[:, 0, 1, 1] = 1.0
            attn.norm.weight.fill_(1.0)
            attn.norm.bias.zero_()
        x = torch.randn(1, 64, 2, 3)
        # Independent computation of E for one position: channels as 32 groups of 2.
        v = x[0, :, 1, 2].reshape(32, 2)
        within = torch.stack([v[:, [0]].mean(1), v[:, [0]].mean(1), v[:, [1]].mean(1), v[:, [1]].mean(1)], 1)
        bins = [(0, 8), (8, 16), (16, 24), (24, 32)]
        across = torch.stack([v[a:b].mean(0) for a, b in bins], 0)
        expected_e = (within @ across).reshape(64)
        with torch.no_grad():
            e_full = torch.zeros_like(x)
            n, c, h, w = x.shape
            for i in range(h):
                for j in range(w):
                    g = x[0, :, i, j].reshape(32, 2)
                    wi = torch.nn.functional.adaptive_avg_pool1d(g.unsqueeze(0), 4)[0]
                    ac = torch.nn.functional.adaptive_avg_pool1d(g.t().unsqueeze(0), 4)[0].t()
                    e_full[0, :, i, j] = (wi @ ac).reshape(64)
            mean, var = e_full.mean(), e_full.var(unbiased=False)
            normed = (e_full - mean) / torch.sqrt(var + 1e-5)
            out = attn(x)
        torch.testing.assert_close(e_full[0, :, 1, 2], expected_e)
        torch.testing.assert_close(out, normed, atol=1e-5, rtol=1e-5)


class CheckpointStrictnessTest(unittest.TestCase):
    def setUp(self):
        self.model = potter_model.build(potter_model.TINY)
        self.state = {k: v.clone() for k, v in self.model.state_dict().items()}
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def save(self, obj):
        path = os.path.join(self.tmp.name, "ckpt.pth.tar")
        torch.save(obj, path)
        return path

    def test_accepts_training_checkpoint_with_module_prefix(self):
        torch.manual_seed(3)
        state = {"module." + k: torch.randn_like(v) for k, v in self.state.items()}
        path = self.save({"epoch": 5, "state_dict": state, "optimizer_state_dict": {}, "val_loss": 0.1})
        target = potter_model.build(potter_model.TINY)
        export_potter.load_checkpoint(target, path)
        for k, v in target.state_dict().items():
            torch.testing.assert_close(v, state["module." + k], rtol=0, atol=0)

    def test_accepts_bare_state_dict(self):
        path = self.save(self.state)
        export_potter.load_checkpoint(potter_model.build(potter_model.TINY), path)

    def test_lists_every_missing_unexpected_and_misshaped_key(self):
        state = dict(self.state)
        del state["norm1.weight"]
        del state["final_layer.bias"]
        state["extra.weight"] = torch.zeros(3)
        state["pose_3d_head.3.weight"] = torch.zeros(4, 128)
        path = self.save({"state_dict": state})
        with self.assertRaises(export_potter.CheckpointError) as caught:
            export_potter.load_checkpoint(potter_model.build(potter_model.TINY), path)
        message = str(caught.exception)
        self.assertIn("4 problems", message)
        self.assertIn("missing: norm1.weight", message)
        self.assertIn("missing: final_layer.bias", message)
        self.assertIn("unexpected: extra.weight", message)
        self.assertIn("mis-shaped: pose_3d_head.3.weight is [4, 128], model needs [3, 128]", message)

    def test_refuses_a_file_that_is_not_a_checkpoint(self):
        path = os.path.join(self.tmp.name, "junk.pth")
        with open(path, "wb") as f:
            f.write(b"not a checkpoint")
        with self.assertRaises(export_potter.CheckpointError) as caught:
            export_potter.load_checkpoint(self.model, path)
        self.assertIn(path, str(caught.exception))

    def test_cli_exits_non_zero_and_writes_nothing_on_a_bad_checkpoint(self):
        state = dict(self.state)
        del state["norm1.weight"]
        path = self.save(state)
        out = os.path.join(self.tmp.name, "out")
        code = export_potter.main(["--config", "tiny", "--checkpoint", path, "--out", out])
        self.assertEqual(2, code)
        self.assertFalse(os.path.exists(os.path.join(out, "model.pt")))


class ExportTest(unittest.TestCase):
    def export_tiny(self, out, *flags):
        """Exports the seeded random tiny model into ``out`` with ``flags``; returns its card."""
        self.assertEqual(0, export_potter.main(["--config", "tiny", "--random-init", "--seed", "11", "--out", out, *flags]))
        with open(os.path.join(out, "model.json")) as f:
            return json.load(f)

    def test_export_writes_script_card_and_fixture_that_agree(self):
        with tempfile.TemporaryDirectory() as out:
            card = self.export_tiny(out, "--fixture")
            self.assertEqual("egopose-model-card/1", card["format"])
            self.assertEqual(224, card["input"]["size"])
            self.assertEqual("RGB", card["input"]["channels"])
            self.assertEqual(21, len(card["joint_mean_mm"]))
            self.assertEqual([0.0, 0.0, 0.0], card["joint_std_mm"][0])
            self.assertEqual(export_potter.sha256_of(os.path.join(out, "model.pt")), card["model_sha256"])
            self.assertEqual({"kind": "random-init", "seed": 11}, card["source"])
            self.assertEqual("float32", card["input"]["dtype"])
            self.assertTrue(card["exported_with"]["rewritten"])
            with open(os.path.join(out, "fixture", "fixture.json")) as f:
                meta = json.load(f)
            import numpy as np
            inputs = np.fromfile(os.path.join(out, "fixture", meta["input_file"]), "<f4").reshape(meta["input_shape"])
            outputs = np.fromfile(os.path.join(out, "fixture", meta["output_file"]), "<f4").reshape(meta["output_shape"])
            scripted = torch.jit.load(os.path.join(out, "model.pt"))
            with torch.no_grad():
                again = scripted(torch.from_numpy(inputs)).numpy()
            self.assertEqual((2, 21, 3), outputs.shape)
            self.assertLess(np.abs(again - outputs).max(), 1e-5)
            self.assertGreater(np.abs(outputs).max(), 0.01)

    def test_no_rewrite_scripts_the_reference_module_with_the_same_outputs(self):
        with tempfile.TemporaryDirectory() as out:
            self.assertFalse(self.export_tiny(out, "--fixture", "--no-rewrite")["exported_with"]["rewritten"])
            scripted = torch.jit.load(os.path.join(out, "model.pt"))
            self.assertIn("final_layer", dict(scripted.named_children()))
            import numpy as np
            inputs = torch.from_numpy(np.fromfile(os.path.join(out, "fixture", "input.f32"), "<f4").reshape(2, 3, 224, 224))
            outputs = np.fromfile(os.path.join(out, "fixture", "output.f32"), "<f4").reshape(2, 21, 3)
            with torch.no_grad():
                self.assertLess(np.abs(scripted(inputs).numpy() - outputs).max(), 1e-5)

    def test_half_export_stores_float16_and_says_so_in_the_card(self):
        with tempfile.TemporaryDirectory() as out:
            card = self.export_tiny(out, "--half")
            self.assertEqual("float16", card["input"]["dtype"])
            scripted = torch.jit.load(os.path.join(out, "model.pt"))
            self.assertEqual({torch.float16}, {t.dtype for t in scripted.state_dict().values()})

    def test_random_init_is_reproducible_and_seed_dependent(self):
        a, b, c = (potter_model.build(potter_model.TINY) for _ in range(3))
        export_potter.randomise(a, 5)
        export_potter.randomise(b, 5)
        export_potter.randomise(c, 6)
        x = torch.randn(1, 3, 224, 224)
        with torch.no_grad():
            torch.testing.assert_close(a(x), b(x), rtol=0, atol=0)
            self.assertGreater((a(x) - c(x)).abs().max().item(), 1e-3)


if __name__ == "__main__":
    unittest.main()
