#!/usr/bin/env python3
"""Independent NumPy reference numbers for egopose's image-only hand detector (package detect).

Written from the numbers of MediaPipe's published graph configs (palm_detection_cpu.pbtxt,
hand_landmark_cpu.pbtxt, hand_landmark_landmarks_to_roi.pbtxt, the palm-to-ROI and
HandLandmarksToRect rules; REFERENCE.md section 8), not from the Java code, and run with Debian's
/usr/bin/python3 (numpy only):

    /usr/bin/python3 src/main/python/palm_reference.py \
        --calibration stream-app/src/main/resources/dev/egopose/camera/aria_factory_calibration_sample.json \
        --out stream-app/src/test/resources/dev/egopose/detect/palm_reference.json

Coordinates are continuous pixels (pixel i covers [i, i+1)) of the upright image, except the fisheye
calibration's, whose pixel centres are integers. The fixture holds:
- anchors: the count and a sample of SSD anchor centres (192x192 input, strides 8, 16, 16, 16, two
  anchors per layer and cell (aspect ratio 1 and the interpolated scale), layers of one stride merged,
  offset 0.5, fixed anchor size 1);
- raw: sparse detector outputs (anchor index, raw score, 18 regressors; every other anchor scores -20
  and regresses 0) and what decoding gives: sigmoid score (raw clipped to +-100) >= 0.5, box centre and
  size = raw / 192 (+ anchor centre), keypoints likewise (x before y);
- nms: weighted non-maximum suppression of those (IoU > 0.3 merges, score-weighted mean of box corners
  and keypoints, the top score kept);
- palm_rects: each kept detection in a 1408x1056 image letterboxed to 192 (centred padding), as the
  hand rect (centre, size, rotation) from its box and keypoints 0 -> 2 (rotation so that the vector
  points up), shifted by -0.5 of its height along its own y, squared to the long side, scaled 2.6;
- landmark_rect: the next frame's rect from 21 landmarks (the partial set 0,1,2,3,5,6,9,10,13,14,17,18;
  rotation wrist -> mean of (mean of landmarks 5 and 13) and 9; the box of the partial set in the
  rotated frame; shift -0.1, squared, scale 2.0);
- projection: 21 landmarks of the 224x224 landmark-model input mapped back through a rotated rect;
- undistorted_box: landmarks in an upright (portrait-stored, rotated 90 degrees clockwise) 1408 frame,
  back to sensor pixels, unprojected through Fisheye624, projected by the benchmark's 512x512 f=150
  pinhole, tight box padded by 20 px, clipped to [0, 511].
"""
import argparse
import json
import math
import os

import numpy as np

from camera_reference import rescale_2880_to_1408, rgb_params, unproject_fd

INPUT = 192
STRIDES = [8, 16, 16, 16]
NUM_KEYPOINTS = 7
SCORE_CLIP = 100.0
MIN_SCORE = 0.5
NMS_IOU = 0.3
PARTIAL = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18]


def anchors():
    out = []
    layer = 0
    while layer < len(STRIDES):
        per_cell = 0
        last = layer
        while last < len(STRIDES) and STRIDES[last] == STRIDES[layer]:
            per_cell += 2
            last += 1
        cells = int(math.ceil(INPUT / STRIDES[layer]))
        for y in range(cells):
            for x in range(cells):
                for _ in range(per_cell):
                    out.append(((x + 0.5) / cells, (y + 0.5) / cells))
        layer = last
    return np.array(out)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def decode(anchor, raw_score, reg):
    """One detection: score, box (xmin, ymin, xmax, ymax) and 7 keypoints, normalised to the input."""
    score = sigmoid(np.clip(raw_score, -SCORE_CLIP, SCORE_CLIP))
    cx = reg[0] / INPUT + anchor[0]
    cy = reg[1] / INPUT + anchor[1]
    w = reg[2] / INPUT
    h = reg[3] / INPUT
    kp = np.array([[reg[4 + 2 * k] / INPUT + anchor[0], reg[5 + 2 * k] / INPUT + anchor[1]] for k in range(NUM_KEYPOINTS)])
    return score, np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]), kp


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def weighted_nms(dets):
    order = sorted(range(len(dets)), key=lambda i: -dets[i][0])
    kept = []
    while order:
        top = dets[order[0]]
        merged, rest = [], []
        for i in order:
            (merged if iou(dets[i][1], top[1]) > NMS_IOU else rest).append(i)
        w = np.array([dets[i][0] for i in merged])
        box = sum(dets[i][0] * dets[i][1] for i in merged) / w.sum()
        kp = sum(dets[i][0] * dets[i][2] for i in merged) / w.sum()
        kept.append((top[0], box, kp))
        order = rest
    return kept


def normalize_angle(a):
    return a - 2 * math.pi * math.floor((a + math.pi) / (2 * math.pi))


def rotation(x0, y0, x1, y1):
    return normalize_angle(math.pi / 2 - math.atan2(-(y1 - y0), x1 - x0))


def transform(rect, scale, shift_y):
    cx, cy, w, h, r = rect
    cx += -h * shift_y * math.sin(r)
    cy += h * shift_y * math.cos(r)
    side = max(w, h)
    return [cx, cy, side * scale, side * scale, r]


def palm_rect(box, kp, width, height):
    """A letterboxed detection (normalised to the 192 input) as the hand rect in image pixels."""
    s = INPUT / max(width, height)
    pad_x = (INPUT - width * s) / 2
    pad_y = (INPUT - height * s) / 2

    def px(x, y):
        return (x * INPUT - pad_x) / s, (y * INPUT - pad_y) / s

    x1, y1 = px(box[0], box[1])
    x2, y2 = px(box[2], box[3])
    k = [px(p[0], p[1]) for p in kp]
    r = rotation(k[0][0], k[0][1], k[2][0], k[2][1])
    rect = [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, r]
    return [x1, y1, x2, y2], [list(p) for p in k], transform(rect, 2.6, -0.5)


def landmark_rect(lm):
    pts = lm[PARTIAL]
    x1 = ((lm[5, 0] + lm[13, 0]) / 2 + lm[9, 0]) / 2
    y1 = ((lm[5, 1] + lm[13, 1]) / 2 + lm[9, 1]) / 2
    r = rotation(lm[0, 0], lm[0, 1], x1, y1)
    centre = (pts.min(axis=0) + pts.max(axis=0)) / 2
    c, s = math.cos(-r), math.sin(-r)
    rel = pts - centre
    rot = np.stack([rel[:, 0] * c - rel[:, 1] * s, rel[:, 0] * s + rel[:, 1] * c], axis=1)
    mid = (rot.min(axis=0) + rot.max(axis=0)) / 2
    size = rot.max(axis=0) - rot.min(axis=0)
    cx = centre[0] + mid[0] * math.cos(r) - mid[1] * math.sin(r)
    cy = centre[1] + mid[0] * math.sin(r) + mid[1] * math.cos(r)
    return transform([cx, cy, size[0], size[1], r], 2.0, -0.1)


def project(raw224, rect):
    cx, cy, w, h, r = rect
    u = raw224[:, 0] / 224 - 0.5
    v = raw224[:, 1] / 224 - 0.5
    return np.stack([cx + (u * math.cos(r) - v * math.sin(r)) * w, cy + (u * math.sin(r) + v * math.cos(r)) * h], axis=1)


def hand(rng, cx, cy, size, angle):
    """21 landmark-like points: a wrist and five fingers of four joints, spread around an angle."""
    pts = [[0.0, 0.0]]
    for f in range(5):
        a = angle + (f - 2) * 0.25 + rng.normal(0, 0.03)
        for j in range(1, 5):
            d = size * (0.35 + 0.15 * j) * (0.8 if f == 0 else 1.0)
            pts.append([d * math.cos(a), d * math.sin(a)])
    return np.array(pts) + [cx, cy]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = np.random.default_rng(10)

    anc = anchors()
    assert anc.shape == (2016, 2)
    sample = sorted(set([0, 1, 2, 47, 48, 1151, 1152, 1153, 1157, 1158, 2015] + list(rng.integers(0, 2016, 12))))

    # three clusters of boxes (two overlapping a little), one lone low score, one clipped score
    centres = [(0.30, 0.40, 0.18), (0.42, 0.47, 0.16), (0.75, 0.70, 0.22)]
    entries = []
    for ci, (tx, ty, size) in enumerate(centres):
        near = np.argsort(np.hypot(anc[:, 0] - tx, anc[:, 1] - ty))[:12]
        for idx in rng.choice(near, 5, replace=False):
            ax, ay = anc[idx]
            s = size * (1 + rng.normal(0, 0.08))
            reg = [(tx + rng.normal(0, 0.01) - ax) * INPUT, (ty + rng.normal(0, 0.01) - ay) * INPUT, s * INPUT, s * 1.05 * INPUT]
            for k in range(NUM_KEYPOINTS):
                kx = tx + 0.3 * size * math.cos(ci + k) + rng.normal(0, 0.005)
                ky = ty + 0.3 * size * math.sin(ci + k) + rng.normal(0, 0.005)
                reg += [(kx - ax) * INPUT, (ky - ay) * INPUT]
            entries.append({"index": int(idx), "score": float(rng.uniform(-1.0, 4.0)), "regressors": [float(v) for v in reg]})
    entries.append({"index": 1500, "score": -0.5, "regressors": [float(v) for v in rng.normal(0, 5, 18)]})
    entries.append({"index": 30, "score": 150.0, "regressors": [5.0, -3.0, 20.0, 22.0] + [float(v) for v in rng.normal(0, 5, 14)]})
    by_index = {}
    for e in entries:
        by_index[e["index"]] = e  # a repeated anchor keeps its last entry, as when the Java fills the tensors
    entries = list(by_index.values())

    dets = []
    for e in sorted(entries, key=lambda e: e["index"]):
        score, box, kp = decode(anc[e["index"]], e["score"], np.array(e["regressors"]))
        if score >= MIN_SCORE:
            dets.append((score, box, kp, e["index"]))
    kept = weighted_nms([(d[0], d[1], d[2]) for d in dets])

    width, height = 1408, 1056
    palm_rects = []
    for score, box, kp in kept:
        b, k, rect = palm_rect(box, kp, width, height)
        palm_rects.append({"box": [float(v) for v in b], "keypoints": [[float(v) for v in q] for q in k], "rect": [float(v) for v in rect]})

    lm = hand(rng, 700.0, 600.0, 120.0, -2.0)
    raw224 = np.concatenate([rng.uniform(20, 200, (21, 2)), rng.normal(0, 5, (21, 1))], axis=1)
    rect = [640.0, 420.0, 300.0, 300.0, 0.7]

    p = rescale_2880_to_1408(rgb_params(args.calibration))
    upright = hand(rng, 800.0, 650.0, 110.0, -1.3)
    sensor = np.stack([upright[:, 1] - 0.5, 1408 - upright[:, 0] - 0.5], axis=1)
    pin = []
    for sx, sy in sensor:
        ray = unproject_fd(p, float(sx), float(sy))
        pin.append([150 * ray[0] + 255.5, 150 * ray[1] + 255.5])
    pin = np.array(pin)
    ubox = [max(0.0, pin[:, 0].min() - 20), max(0.0, pin[:, 1].min() - 20), min(511.0, pin[:, 0].max() + 20), min(511.0, pin[:, 1].max() + 20)]

    fixture = {
        "anchors": {"count": len(anc), "sample": [{"index": int(i), "x": float(anc[i, 0]), "y": float(anc[i, 1])} for i in sample]},
        "raw": {"entries": entries, "decoded": [
            {"index": int(d[3]), "score": float(d[0]), "box": d[1].tolist(), "keypoints": d[2].tolist()} for d in dets]},
        "nms": [{"score": float(s), "box": b.tolist(), "keypoints": k.tolist()} for s, b, k in kept],
        "palm_rects": {"width": width, "height": height, "rects": palm_rects},
        "landmark_rect": {"landmarks": lm.tolist(), "rect": [float(v) for v in landmark_rect(lm)]},
        "projection": {"raw": raw224.tolist(), "rect": rect, "points": project(raw224, rect).tolist()},
        "undistorted_box": {"frame": 1408, "landmarks": upright.tolist(), "box": [float(v) for v in ubox]},
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(fixture, fh, indent=1)
    print("wrote %s: %d decoded, %d after NMS" % (args.out, len(dets), len(kept)))


if __name__ == "__main__":
    main()
