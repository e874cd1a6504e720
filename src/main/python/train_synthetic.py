#!/usr/bin/python3
"""Trains a POTTER configuration on synthetic takes written by `egopose synth`.

    /usr/bin/python3 src/main/python/train_synthetic.py --data DIR [--data DIR ...] --config tiny \
        --epochs 8 --out checkpoint.pth.tar

The crops are made exactly as the benchmark makes them (REFERENCE §2: box centre, side = max(w, h),
k = 224 / (1.25 * side), bilinear, black border, RGB / 255, ImageNet mean/std), from the undistorted
512x512 images; the targets are the wrist-relative 3D joints normalised with the benchmark's joint
tables, as the baseline trains. The result is a training checkpoint ({"epoch", "state_dict",
"optimizer_state_dict", "val_loss"}) for export_potter.py --checkpoint.

This exists so that the bundled demo model predicts hand-like poses on synthetic data; it is not a
substitute for the Ego-Exo4D training set.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

import export_potter
import potter_model

SIZE = 224
MEAN = np.array(export_potter.IMAGE_MEAN, dtype=np.float32).reshape(3, 1, 1)
STD = np.array(export_potter.IMAGE_STD, dtype=np.float32).reshape(3, 1, 1)
JOINT_MEAN = np.array(export_potter.JOINT_MEAN_MM, dtype=np.float32)
JOINT_STD = np.array(export_potter.JOINT_STD_MM, dtype=np.float32)


def crop(image: np.ndarray, box) -> np.ndarray:
    """The benchmark's 224x224 crop of an HxWx3 uint8 image: bilinear, black outside, uint8 CHW."""
    x1, y1, x2, y2 = box
    cx, cy = (x1 + x2) / 2.0, (y1 + y2) / 2.0
    k = SIZE / (1.25 * max(x2 - x1, y2 - y1))
    u, v = np.meshgrid(np.arange(SIZE, dtype=np.float64), np.arange(SIZE, dtype=np.float64))
    # Inverse of M = [[k, 0, 112 - k cx], [0, k, 112 - k cy]].
    x = (u - (112 - k * cx)) / k
    y = (v - (112 - k * cy)) / k
    x0 = np.floor(x).astype(np.int64)
    y0 = np.floor(y).astype(np.int64)
    fx = (x - x0)[..., None]
    fy = (y - y0)[..., None]
    h, w = image.shape[:2]

    def at(yy, xx):
        inside = (xx >= 0) & (xx < w) & (yy >= 0) & (yy < h)
        values = image[np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)].astype(np.float64)
        return values * inside[..., None]

    out = (at(y0, x0) * (1 - fx) * (1 - fy) + at(y0, x0 + 1) * fx * (1 - fy)
           + at(y0 + 1, x0) * (1 - fx) * fy + at(y0 + 1, x0 + 1) * fx * fy)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8).transpose(2, 0, 1)


def load(data_dir: str):
    """Crops (uint8, N x 3 x 224 x 224) and normalised targets (N x 21 x 3) of every annotated hand."""
    anno = os.path.join(data_dir, "annotation", "ego_pose_gt_anno_val_public.json")
    with open(anno) as f:
        takes = json.load(f)
    images = os.path.join(data_dir, "image", "undistorted", "val")
    crops, targets = [], []
    for take in takes.values():
        for frame_key, record in take.items():
            name = record["metadata"]["take_name"]
            path = os.path.join(images, name, "%06d.jpg" % int(frame_key))
            image = np.asarray(Image.open(path).convert("RGB"))
            for hand in ("right", "left"):
                joints = record.get(hand + "_hand_3d") or []
                box = record.get(hand + "_hand_bbox") or []
                if not joints or not box:
                    continue
                mm = np.array(joints, dtype=np.float32) * 1000.0
                relative = mm - mm[0]
                normalised = np.divide(relative - JOINT_MEAN, JOINT_STD, out=np.zeros_like(relative), where=JOINT_STD > 0)
                crops.append(crop(image, box))
                targets.append(normalised)
    return np.stack(crops), np.stack(targets).astype(np.float32)


def to_input(crops_uint8: np.ndarray) -> torch.Tensor:
    return torch.from_numpy((crops_uint8.astype(np.float32) / 255.0 - MEAN) / STD)


def mpjpe_mm(pred: torch.Tensor, target: torch.Tensor) -> float:
    std = torch.from_numpy(JOINT_STD)
    diff = (pred - target) * std
    return float(diff.norm(dim=-1)[:, 1:].mean())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train POTTER on synthetic takes from `egopose synth`.")
    parser.add_argument("--data", action="append", required=True, help="an `egopose synth --out` folder (repeatable)")
    parser.add_argument("--validate", help="a held-out synth folder for the validation loss")
    parser.add_argument("--config", default="tiny", choices=sorted(potter_model.CONFIGS))
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", required=True, help="checkpoint to write (.pth.tar)")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    parts = [load(d) for d in args.data]
    crops = np.concatenate([p[0] for p in parts])
    targets = torch.from_numpy(np.concatenate([p[1] for p in parts]))
    held = load(args.validate) if args.validate else None
    print(f"training on {len(crops)} hands" + (f", validating on {len(held[0])}" if held else ""), flush=True)

    model = potter_model.PoolAttnHRPose3D(potter_model.CONFIGS[args.config])
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * math.ceil(len(crops) / args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=steps, pct_start=0.15)
    start = time.time()
    val_mm = float("nan")
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(crops))
        total = 0.0
        for i in range(0, len(order), args.batch):
            idx = order[i:i + args.batch]
            x = to_input(crops[idx])
            y = targets[idx]
            loss = torch.nn.functional.smooth_l1_loss(model(x)[:, 1:], y[:, 1:], beta=0.5)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss) * len(idx)
        if held is not None:
            model.eval()
            with torch.no_grad():
                preds = torch.cat([model(to_input(held[0][j:j + 64])) for j in range(0, len(held[0]), 64)])
            val_mm = mpjpe_mm(preds, torch.from_numpy(held[1]))
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / len(crops):.4f}, held-out wrist-relative MPJPE {val_mm:.1f} mm, "
              f"{time.time() - start:.0f} s", flush=True)
    torch.save({"epoch": args.epochs, "state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "val_loss": val_mm}, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
