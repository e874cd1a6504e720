#!/usr/bin/python3
"""Times the reference module against the rewrite on the same random weights, eager (as the
reference's own profile was taken; PyTorch 1.13's TorchScript executor here picks a slow
convolution path for the 1x1 convolutions), with PyTorch's profiler table of the most expensive
operators of each. DJL's libtorch (``egopose bench model``) is what decides which rewrites stay.

    /usr/bin/python3 src/main/python/profile_export.py --config s12 [--batch 1] [--threads 1] [--runs 3] [--top 8]
"""
import argparse
import sys
import time

import torch
from torch.profiler import ProfilerActivity, profile

import export_potter
import potter_model
import potter_rewrite


def timed(module, x, runs: int) -> float:
    """Best of ``runs`` forward passes, in milliseconds (after two untimed ones)."""
    best = float("inf")
    with torch.no_grad():
        for _ in range(2):
            module(x)
        for _ in range(runs):
            start = time.perf_counter()
            module(x)
            best = min(best, time.perf_counter() - start)
    return best * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Profile the exported POTTER module with and without the rewrite.")
    parser.add_argument("--config", default="s12", choices=sorted(potter_model.CONFIGS))
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    cfg = potter_model.CONFIGS[args.config]
    model = potter_model.build(cfg)
    export_potter.randomise(model, 1)
    x = torch.randn(args.batch, 3, cfg.image_size, cfg.image_size, generator=torch.Generator().manual_seed(1))
    variants = {"reference": model, "rewritten": potter_rewrite.rewrite(model, cfg)}
    times = {}
    for name, module in variants.items():
        times[name] = timed(module, x, args.runs)
        with torch.no_grad(), profile(activities=[ProfilerActivity.CPU]) as prof:
            module(x)
        print(f"== {name}: {times[name]:.1f} ms per batch of {args.batch} (best of {args.runs}, {args.threads} thread(s))")
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=args.top))
    with torch.no_grad():
        diff = (variants["rewritten"](x) - variants["reference"](x)).abs().max().item()
    print(f"rewritten / reference time: {times['rewritten'] / times['reference']:.3f}; "
          f"speed-up {times['reference'] / times['rewritten']:.2f}x; max abs difference {diff:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
