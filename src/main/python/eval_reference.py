#!/usr/bin/python3
"""Reference numbers for the Java evaluator (dev.egopose.eval), computed independently in NumPy.

Makes a small random ground-truth file in the gt_anno train/val format and two submissions (absolute,
and wrist-relative for --offset), then scores them with the benchmark's definitions, written here from
the formulas (not from the benchmark's code):

  for each GT frame and each hand whose GT 3D is non-empty:
      gt, pred in mm (x1000); with offset, pred += gt wrist; keep the joints flagged in valid_3d;
      MPJPE    = mean_i |pred_i - gt_i|
      PA-MPJPE = mean_i |s * (pred_i - mean(pred)) R + mean(gt) - gt_i|, with (s, R) the least-squares
                 similarity (Umeyama): C = Xc^T Yc = U S V^T, D = diag(1, 1, sign det(V U^T)),
                 R = V D U^T, s = trace(S D) / sum |Yc|^2   (X = gt rows, Y = pred rows)
  final = unweighted mean over hand instances, both sides pooled; also per side and per take.

The files contain what real files contain: NaN tokens and nulls for invalid joints, [] hands,
predictions for frames and takes the ground truth does not have (ignored), a mirrored prediction
(exercises the reflection fix), rotated/scaled predictions.

Run:  /usr/bin/python3 src/main/python/eval_reference.py [--out stream-app/src/test/resources/eval] [--seed 20240617]
"""
import argparse
import json
import os
import uuid

import numpy as np

JOINTS = 21
SIDES = ("right", "left")


def random_hand(rng):
    """A plausible hand in camera coordinates (metres): a wrist in front of the camera, fingers around it."""
    wrist = np.array([rng.normal(0, 0.08), rng.normal(0.05, 0.08), rng.uniform(0.25, 0.6)])
    joints = np.empty((JOINTS, 3))
    joints[0] = wrist
    direction = rng.normal(size=3)
    direction /= np.linalg.norm(direction)
    for finger in range(5):
        spread = direction + rng.normal(scale=0.35, size=3)
        spread /= np.linalg.norm(spread)
        base = wrist + spread * rng.uniform(0.02, 0.05)
        for k in range(4):
            joints[1 + finger * 4 + k] = base + spread * 0.022 * k + rng.normal(scale=0.004, size=3)
    return joints


def random_rotation(rng, max_angle):
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    angle = rng.uniform(-max_angle, max_angle)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)


def as_json_rows(points, invalid_token):
    rows = []
    for p in points:
        if np.all(np.isfinite(p)):
            rows.append([float(v) for v in p])
        else:
            rows.append([invalid_token] * len(p))
    return rows


def make_data(rng):
    gt, pred_abs, pred_rel = {}, {}, {}
    mirrored_done = False
    for t in range(3):
        take = str(uuid.UUID(bytes=rng.bytes(16), version=4))
        name = f"synthetic_take_{t}"
        frames = sorted(rng.choice(np.arange(0, 3000), size=int(rng.integers(4, 8)), replace=False).tolist())
        gt[take], pred_abs[take], pred_rel[take] = {}, {}, {}
        for f_index, frame in enumerate(frames):
            record, p_abs, p_rel = {}, {}, {}
            for side in SIDES:
                empty = rng.uniform() < 0.25 or (f_index == 0 and side == "left")
                if empty:
                    record[f"{side}_hand_3d"] = []
                    record[f"{side}_hand_2d"] = []
                    record[f"{side}_hand_bbox"] = []
                    record[f"{side}_hand_valid_3d"] = []
                    # A prediction for a hand the ground truth does not evaluate: must be ignored.
                    noise_hand = random_hand(rng)
                    p_abs[f"{side}_hand_3d"] = noise_hand.tolist() if rng.uniform() < 0.5 else []
                    p_rel[f"{side}_hand_3d"] = (noise_hand - noise_hand[0]).tolist() if rng.uniform() < 0.5 else []
                    continue
                hand = random_hand(rng)
                valid = rng.uniform(size=JOINTS) < 0.8
                while valid.sum() < 4:
                    valid[int(rng.integers(0, JOINTS))] = True
                gt3d = hand.copy()
                gt3d[~valid] = np.nan
                gt3d[0] = hand[0]  # the wrist is always kept, valid or not
                px = np.column_stack([255.5 + 150 * hand[:, 0] / hand[:, 2], 255.5 + 150 * hand[:, 1] / hand[:, 2]])
                px[~valid] = np.nan
                record[f"{side}_hand_3d"] = [[float(v) for v in row] for row in gt3d]  # NaN -> bare NaN token
                record[f"{side}_hand_2d"] = as_json_rows(px, None if rng.uniform() < 0.5 else float("nan"))
                lo = np.nanmin(px, axis=0) - 20
                hi = np.nanmax(px, axis=0) + 20
                record[f"{side}_hand_bbox"] = [float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])]
                record[f"{side}_hand_valid_3d"] = [bool(v) for v in valid]

                # Absolute prediction: the truth, perturbed, sometimes rotated and scaled about its centre.
                pred = hand + rng.normal(scale=0.012, size=hand.shape)
                if rng.uniform() < 0.5:
                    centre = pred.mean(axis=0)
                    pred = (pred - centre) @ random_rotation(rng, 0.6).T * rng.uniform(0.8, 1.25) + centre
                if not mirrored_done:
                    # A mirror image of the truth (reflection through a plane by the wrist): the reflection fix matters.
                    normal = rng.normal(size=3)
                    normal /= np.linalg.norm(normal)
                    rel = hand - hand[0]
                    pred = hand[0] + rel - 2 * np.outer(rel @ normal, normal) + rng.normal(scale=0.001, size=hand.shape)
                    mirrored_done = True
                p_abs[f"{side}_hand_3d"] = pred.tolist()
                # Wrist-relative prediction, as the baseline writes it.
                rel_pred = (hand - hand[0]) + rng.normal(scale=0.01, size=hand.shape)
                rel_pred[0] = 0.0
                p_rel[f"{side}_hand_3d"] = rel_pred.tolist()
            record["metadata"] = {"take_uid": take, "take_name": name, "frame_number": int(frame)}
            gt[take][str(frame)] = record
            pred_abs[take][str(frame)] = p_abs
            pred_rel[take][str(frame)] = p_rel
        # A predicted frame the ground truth does not have: must be ignored.
        extra = str(int(max(frames)) + 1)
        pred_abs[take][extra] = {"left_hand_3d": random_hand(rng).tolist(), "right_hand_3d": []}
        pred_rel[take][extra] = {"left_hand_3d": [], "right_hand_3d": []}
    # A predicted take the ground truth does not have: must be ignored.
    stray = str(uuid.UUID(bytes=rng.bytes(16), version=4))
    pred_abs[stray] = {"0": {"left_hand_3d": [], "right_hand_3d": random_hand(rng).tolist()}}
    pred_rel[stray] = {"0": {"left_hand_3d": [], "right_hand_3d": []}}
    return gt, pred_abs, pred_rel


def similarity_aligned(y, x):
    """y aligned onto x by the least-squares similarity transform (Umeyama 1991)."""
    mx, my = x.mean(axis=0), y.mean(axis=0)
    xc, yc = x - mx, y - my
    u, s, vt = np.linalg.svd(xc.T @ yc)
    v = vt.T
    d = np.sign(np.linalg.det(v @ u.T))
    dmat = np.diag([1.0, 1.0, d])
    rot = v @ dmat @ u.T
    scale = np.trace(np.diag(s) @ dmat) / np.sum(yc ** 2)
    return scale * yc @ rot + mx


def score(gt, pred, offset):
    hands = []
    for take, frames in gt.items():
        for frame, record in frames.items():
            for side in SIDES:
                if len(record[f"{side}_hand_3d"]) == 0:
                    continue
                g = np.array(record[f"{side}_hand_3d"], dtype=float) * 1000
                p = np.array(pred[take][frame][f"{side}_hand_3d"], dtype=float) * 1000
                assert p.shape == (JOINTS, 3)
                if offset:
                    p = p + g[0]
                mask = np.array(record[f"{side}_hand_valid_3d"], dtype=bool)
                g, p = g[mask], p[mask]
                e = float(np.mean(np.linalg.norm(p - g, axis=1)))
                pa = float(np.mean(np.linalg.norm(similarity_aligned(p, g) - g, axis=1)))
                hands.append((take, side, e, pa))

    def summary(rows):
        return {
            "mpjpe_mm": float(np.mean([r[2] for r in rows])),
            "pa_mpjpe_mm": float(np.mean([r[3] for r in rows])),
            "hands": len(rows),
        }

    result = summary(hands)
    result["by_side"] = {side: summary([r for r in hands if r[1] == side]) for side in ("left", "right")}
    result["by_take"] = {take: summary([r for r in hands if r[0] == take]) for take in sorted(gt)}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("stream-app", "src", "test", "resources", "eval"))
    parser.add_argument("--seed", type=int, default=20240617)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    gt, pred_abs, pred_rel = make_data(rng)
    os.makedirs(args.out, exist_ok=True)
    for name, content in (("gt.json", gt), ("pred.json", pred_abs), ("pred_offset.json", pred_rel)):
        with open(os.path.join(args.out, name), "w") as f:
            json.dump(content, f)
    expected = {
        "numpy": np.__version__,
        "seed": args.seed,
        "pred.json": score(gt, pred_abs, offset=False),
        "pred_offset.json --offset": score(gt, pred_rel, offset=True),
    }
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(json.dumps({k: expected[k] for k in ("pred.json", "pred_offset.json --offset")}, indent=1)[:800])


if __name__ == "__main__":
    main()
