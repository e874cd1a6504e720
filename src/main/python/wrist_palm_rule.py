#!/usr/bin/env python3
"""Measures the wrist-and-palm box rule against the landmark boxes, on synthetic takes.

    java -jar stream-app/target/egopose.jar synth --out /tmp/syn --takes 4 --frames 40 --seed 11
    /usr/bin/python3 src/main/python/wrist_palm_rule.py --synth /tmp/syn

For every hand of every take (MPS-style hand_tracking_results.csv written by `egopose synth`, its
calibration's T_Device_Camera), the landmark box (REFERENCE.md section 6: tight box of the 21
projected landmarks, padded 20 px, clipped) is compared by IoU with the box of a sphere around
palm + c (palm - wrist) of radius r |palm - wrist| (projected square, padded and clipped alike), over
a grid of c and r. Prints the best pair with its mean, worst and 10th-percentile IoU, and the
pair egopose uses (handboxes_reference.CENTRE_AHEAD, RADIUS).
"""
import argparse
import csv
import glob
import os

import numpy as np

from handboxes_reference import CENTRE_AHEAD, RADIUS, box_of, rgb_pose


def camera_hands(root):
    hands = []
    for path in sorted(glob.glob(os.path.join(root, "hand_tracking", "*", "hand_tracking_results.csv"))):
        take = os.path.basename(os.path.dirname(path))
        rot, trans = rgb_pose(os.path.join(root, "aria_calib_json", take + ".json"))
        with open(path) as fh:
            for row in csv.DictReader(fh):
                for side in ("left", "right"):
                    if float(row[f"{side}_tracking_confidence"]) <= 0:
                        continue
                    device = np.array([[float(row[f"t{a}_{side}_landmark_{i}_device"]) for a in "xyz"] for i in range(21)])
                    hands.append((device - trans) @ rot)  # R^T (p - t), row-wise
    return hands


def iou(a, b):
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def landmark_box(cam):
    return box_of(np.stack([150.0 * cam[:, 0] / cam[:, 2] + 255.5, 150.0 * cam[:, 1] / cam[:, 2] + 255.5], axis=1), 512, 512)


def sphere_box(cam, ahead, radius):
    wrist, palm = cam[5], cam[20]
    centre = palm + ahead * (palm - wrist)
    half = 150.0 * radius * np.linalg.norm(palm - wrist) / centre[2]
    cx, cy = 150.0 * centre[0] / centre[2] + 255.5, 150.0 * centre[1] / centre[2] + 255.5
    return box_of(np.array([[cx - half, cy - half], [cx + half, cy + half]]), 512, 512)


def scores(hands, reference, ahead, radius):
    return np.array([iou(r, sphere_box(c, ahead, radius)) for r, c in zip(reference, hands)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synth", required=True, help="output folder of egopose synth")
    root = ap.parse_args().synth
    hands = camera_hands(root)
    reference = [landmark_box(c) for c in hands]
    best = max(((scores(hands, reference, c, r).mean(), c, r)
                for c in np.round(np.arange(-0.6, 1.61, 0.1), 2) for r in np.round(np.arange(0.5, 3.01, 0.05), 2)))
    for label, c, r in (("best", best[1], best[2]), ("egopose", CENTRE_AHEAD, RADIUS)):
        s = scores(hands, reference, c, r)
        print(f"{label}: centre palm + {c:g} (palm - wrist), radius {r:g} |palm - wrist|: mean IoU {s.mean():.3f},"
              f" worst {s.min():.3f}, 10th percentile {np.percentile(s, 10):.3f} over {len(hands)} hands")


if __name__ == "__main__":
    main()
