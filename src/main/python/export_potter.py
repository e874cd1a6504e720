#!/usr/bin/python3
"""Turns a POTTER hand pose checkpoint (or random weights) into TorchScript plus a model card.

    /usr/bin/python3 src/main/python/export_potter.py --config {s12|tiny} \
        (--checkpoint FILE | --random-init --seed N) --out DIR [--no-rewrite] [--half] \
        [--fixture [--fixture-batch N]]

Writes DIR/model.pt (TorchScript, scripted) and DIR/model.json (the model card the Java runtime
reads: configuration, input spec, joint tables, output convention, checksums). With --fixture also
DIR/fixture/ (inputs and the outputs PyTorch gives for them, raw little-endian float32) for parity
tests of other runtimes.

The scripted module is the reference module rewritten for speed (``potter_rewrite``: the same
function, checked against the reference before saving); --no-rewrite scripts the reference module
itself. --half stores float16 weights and takes float16 input (for GPUs; CPU libtorch has no fast
float16 kernels for this model). The fixture always holds the float32 reference module's outputs.

Checkpoint loading is strict: the training checkpoint dict (key "state_dict") or a bare state_dict,
an optional "module." prefix is stripped, and every missing, unexpected or mis-shaped tensor is
reported before anything is written.
"""
import argparse
import hashlib
import json
import copy
import os
import sys
import tempfile
from typing import Dict, List

import torch

import potter_model
import potter_rewrite

CARD_FORMAT = "egopose-model-card/1"
IMAGE_MEAN = [0.485, 0.456, 0.406]
IMAGE_STD = [0.229, 0.224, 0.225]

# Wrist-relative joint statistics of the Ego-Exo4D training set (mm, x y z per joint), REFERENCE §3.
JOINT_MEAN_MM = [
    [0.0, 0.0, 0.0],
    [-3.9501650, -0.86685377, 24.517984], [-13.187613, 1.2967486, 47.673504],
    [-22.936522, 1.5275195, 72.566208], [-31.109295, 1.9404153, 95.952751],
    [-48.375599, 4.6012049, 67.085617], [-59.843365, 5.9568534, 93.948418],
    [-57.148232, 5.7935758, 110.97713], [-51.052166, 4.9937048, 125.02338],
    [-51.586624, 2.5471370, 72.120811], [-65.926834, 3.0671554, 98.404510],
    [-61.979191, 2.8341565, 116.10429], [-54.618130, 2.5274558, 129.17862],
    [-46.503471, 0.33559692, 73.062035], [-59.186893, 0.026649246, 96.192421],
    [-56.693432, -0.084625520, 112.05978], [-51.260197, 0.034378145, 123.81713],
    [-35.775276, -1.0368422, 70.583588], [-43.695080, -1.9620019, 88.694397],
    [-44.897186, -2.6101866, 101.19468], [-44.571526, -3.3564034, 111.80748],
]
JOINT_STD_MM = [
    [0.0, 0.0, 0.0],
    [17.266953, 44.075836, 14.078445], [24.261362, 65.793236, 18.580193],
    [25.479671, 74.18796, 19.767653], [30.458921, 80.729996, 23.553158],
    [21.826715, 45.61571, 18.80888], [26.570208, 54.434124, 19.955523],
    [30.757236, 60.084938, 23.375763], [35.174015, 64.042404, 31.206692],
    [21.586899, 28.31489, 16.090088], [29.26384, 35.83172, 18.48644],
    [35.396465, 40.93173, 26.987226], [40.40074, 45.358475, 37.419308],
    [20.73408, 21.591717, 14.190551], [28.290194, 27.946808, 18.350618],
    [34.42277, 31.388414, 28.024563], [39.819054, 35.205494, 38.80897],
    [19.79841, 29.38799, 14.820373], [26.476702, 34.7448, 20.027615],
    [31.811651, 37.06962, 27.742807], [36.893555, 38.98199, 36.001797],
]


class CheckpointError(Exception):
    """A checkpoint that does not fit the model; the message lists every problem."""


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract_state_dict(checkpoint, source: str) -> Dict[str, torch.Tensor]:
    """The tensors of a training checkpoint ({"state_dict": ...}) or of a bare state_dict,
    with a DataParallel "module." prefix removed."""
    if not isinstance(checkpoint, dict):
        raise CheckpointError(f"{source}: expected a dict (a state_dict or a training checkpoint), got {type(checkpoint).__name__}")
    state = checkpoint.get("state_dict", checkpoint)
    if not isinstance(state, dict):
        raise CheckpointError(f"{source}: 'state_dict' is a {type(state).__name__}, not a dict of tensors")
    tensors = {}
    not_tensors = []
    for key, value in state.items():
        name = key[len("module."):] if key.startswith("module.") else key
        if not isinstance(value, torch.Tensor):
            not_tensors.append(f"  not a tensor: {key} ({type(value).__name__})")
            continue
        if name in tensors:
            raise CheckpointError(f"{source}: '{key}' duplicates '{name}' once the 'module.' prefix is removed")
        tensors[name] = value
    if not_tensors:
        raise CheckpointError(f"{source}: {len(not_tensors)} entries are not tensors:\n" + "\n".join(not_tensors))
    return tensors


def check_state_dict(model: torch.nn.Module, tensors: Dict[str, torch.Tensor], source: str) -> None:
    """Raises CheckpointError naming every missing, unexpected and mis-shaped key."""
    expected = model.state_dict()
    problems: List[str] = []
    for name in expected:
        if name not in tensors:
            problems.append(f"  missing: {name} {list(expected[name].shape)}")
    for name, value in tensors.items():
        if name not in expected:
            problems.append(f"  unexpected: {name} {list(value.shape)}")
        elif value.shape != expected[name].shape:
            problems.append(f"  mis-shaped: {name} is {list(value.shape)}, model needs {list(expected[name].shape)}")
    if problems:
        raise CheckpointError(
            f"{source} does not fit PoolAttnHR_Pose_3D: {len(problems)} problems\n" + "\n".join(problems))


def load_checkpoint(model: torch.nn.Module, path: str) -> None:
    try:
        checkpoint = torch.load(path, map_location="cpu")
    except Exception as e:  # torch raises many kinds for a corrupt or foreign file
        raise CheckpointError(f"{path}: cannot be read as a PyTorch checkpoint: {e}") from e
    tensors = extract_state_dict(checkpoint, path)
    check_state_dict(model, tensors, path)
    model.load_state_dict(tensors, strict=True)


def randomise(model: torch.nn.Module, seed: int) -> None:
    """Random weights in which every tensor matters: PyTorch's default init for convolutions and
    linear layers (seeded), norms' affine terms near identity, layer scales well above the
    training init of 1e-5 so that every block changes the output."""
    torch.manual_seed(seed)
    for module in model.modules():
        if hasattr(module, "reset_parameters"):
            module.reset_parameters()
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "layer_scale" in name:
                param.uniform_(0.1, 0.5)
            elif param.dim() == 1 and ("norm" in name or name.startswith("pose_layer.2") or name.startswith("pose_3d_head.2")):
                if name.endswith("weight"):
                    param.normal_(1.0, 0.1)
                else:
                    param.normal_(0.0, 0.1)


def write_card(path: str, cfg: potter_model.PotterConfig, model: torch.nn.Module, model_sha: str, source: dict,
               rewritten: bool, dtype: str) -> None:
    card = {
        "format": CARD_FORMAT,
        "name": f"potter-{cfg.name}",
        "architecture": "PoolAttnHR_Pose_3D",
        "config": cfg.to_json(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "macs_per_crop": potter_model.count_macs(model, cfg.image_size),
        "input": {
            "size": cfg.image_size,
            "layout": "NCHW",
            "channels": "RGB",
            "dtype": dtype,
            "scale": "1/255",
            "mean": IMAGE_MEAN,
            "std": IMAGE_STD,
        },
        "output": {
            "joints": cfg.num_joints,
            "normalised": True,
            "units": "m",
            "convention": "pose_m = (out * joint_std_mm + joint_mean_mm) / 1000; wrist-relative, "
                          "axes of the undistorted camera",
        },
        "joint_mean_mm": JOINT_MEAN_MM,
        "joint_std_mm": JOINT_STD_MM,
        "model_file": "model.pt",
        "model_sha256": model_sha,
        "source": source,
        "exported_with": {"torch": torch.__version__, "rewritten": rewritten},
    }
    write_atomically(path, (json.dumps(card, indent=2) + "\n").encode("utf-8"))


def write_atomically(path: str, data: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def write_fixture(folder: str, model: torch.nn.Module, cfg: potter_model.PotterConfig, batch: int, seed: int) -> None:
    """Inputs (seeded, normal like normalised images) and the eager model's outputs for them."""
    os.makedirs(folder, exist_ok=True)
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randn(batch, 3, cfg.image_size, cfg.image_size, generator=generator)
    with torch.no_grad():
        outputs = model(inputs)
    write_atomically(os.path.join(folder, "input.f32"), inputs.numpy().astype("<f4").tobytes())
    write_atomically(os.path.join(folder, "output.f32"), outputs.numpy().astype("<f4").tobytes())
    meta = {
        "input_file": "input.f32",
        "input_shape": list(inputs.shape),
        "output_file": "output.f32",
        "output_shape": list(outputs.shape),
        "dtype": "float32",
        "byte_order": "little",
        "seed": seed,
        "output": "normalised (before the joint tables)",
    }
    write_atomically(os.path.join(folder, "fixture.json"), (json.dumps(meta, indent=2) + "\n").encode("utf-8"))


def export(cfg: potter_model.PotterConfig, model: torch.nn.Module, out_dir: str, source: dict,
           rewrite: bool = True, half: bool = False) -> str:
    """Scripts the model (rewritten unless told not to), checks the script against the eager reference
    model in float32, then writes model.pt (float16 with ``half``) and model.json."""
    os.makedirs(out_dir, exist_ok=True)
    model.eval()
    module = potter_rewrite.rewrite(model, cfg) if rewrite else copy.deepcopy(model)
    scripted = torch.jit.script(module)
    probe = torch.randn(2, 3, cfg.image_size, cfg.image_size, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        diff = (scripted(probe) - model(probe)).abs().max().item()
    if diff > 1e-4:
        raise RuntimeError(f"scripted model differs from the eager reference model by {diff}")
    if half:
        scripted = torch.jit.script(module.half())
    model_path = os.path.join(out_dir, "model.pt")
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".tmp-", suffix=".pt")
    os.close(fd)
    try:
        scripted.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, model_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    write_card(os.path.join(out_dir, "model.json"), cfg, model, sha256_of(model_path), source,
               rewritten=rewrite, dtype="float16" if half else "float32")
    return model_path


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Export POTTER (PoolAttnHR_Pose_3D) to TorchScript plus a model card for egopose.")
    parser.add_argument("--config", required=True, choices=sorted(potter_model.CONFIGS),
                        help="s12: the benchmark model (14.6 M parameters); tiny: the small test/demo variant")
    weights = parser.add_mutually_exclusive_group(required=True)
    weights.add_argument("--checkpoint", help="training checkpoint or state_dict (.pth/.pth.tar), loaded strictly")
    weights.add_argument("--random-init", action="store_true", help="random weights (for tests and benchmarks)")
    parser.add_argument("--seed", type=int, default=0, help="seed of --random-init and of the fixture inputs")
    parser.add_argument("--out", required=True, help="output folder (model.pt, model.json, fixture/)")
    parser.add_argument("--no-rewrite", dest="rewrite", action="store_false",
                        help="script the reference module as it is (default: the faster exact rewrite)")
    parser.add_argument("--half", action="store_true",
                        help="float16 weights and input, for GPUs (CPU libtorch runs float16 slowly or not at all)")
    parser.add_argument("--fixture", action="store_true", help="also write a golden input/output set")
    parser.add_argument("--fixture-batch", type=int, default=2, help="crops in the golden set (default 2)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    cfg = potter_model.CONFIGS[args.config]
    model = potter_model.build(cfg)
    try:
        if args.checkpoint:
            load_checkpoint(model, args.checkpoint)
            source = {"kind": "checkpoint", "checkpoint": os.path.basename(args.checkpoint),
                      "checkpoint_sha256": sha256_of(args.checkpoint)}
        else:
            randomise(model, args.seed)
            source = {"kind": "random-init", "seed": args.seed}
    except CheckpointError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    model.eval()
    path = export(cfg, model, args.out, source, rewrite=args.rewrite, half=args.half)
    print(f"wrote {path} and {os.path.join(args.out, 'model.json')}")
    if args.fixture:
        folder = os.path.join(args.out, "fixture")
        write_fixture(folder, model, cfg, args.fixture_batch, args.seed)
        print(f"wrote golden fixture ({args.fixture_batch} crops) to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
