#!/usr/bin/env python3
"""Independent NumPy reference numbers for egopose's boxes from Aria hand tracking.

Written from the formulas in REFERENCE.md section 6 (not from the Java code) and run with Debian's
/usr/bin/python3 (numpy only):

    /usr/bin/python3 src/main/python/handboxes_reference.py \
        --calibration stream-app/src/main/resources/dev/egopose/camera/aria_factory_calibration_sample.json \
        --out stream-app/src/test/resources/dev/egopose/handtrack

It builds deterministic hands in the RGB camera frame, moves them into the device frame with the
calibration's T_Device_Camera (p_device = R p_camera + t, quaternion w, x, y, z), and writes:
- handboxes_reference.json: per tracking sample and hand, the device-frame landmarks (MPS order), the
  confidence and the expected boxes: in the benchmark's undistorted 512x512 f=150 pinhole image (tight
  box of the projected landmarks, padded by 20 px, clipped to [0, 511]) and in the 1408x1408 fisheye
  image (same rule through Fisheye624, clipped to [0, 1407]); null where no box is expected (confidence
  below 0.5, a landmark less than 1 cm in front of the camera, or a box under 2 px after clipping);
  and the wrist-and-palm rule's box (a sphere around palm + CENTRE_AHEAD (palm - wrist) of radius
  RADIUS |palm - wrist|, its projected square padded and clipped the same way);
- hand_tracking_results.csv: the same samples as MPS writes them (v2 columns, confidence -1 for an
  absent hand), for the CSV reader and `egopose handboxes`.
"""
import argparse
import json
import os

import numpy as np

from camera_reference import project_ab, rescale_2880_to_1408, rgb_params

PAD = 20.0
MIN_CONFIDENCE = 0.5
MIN_DEPTH = 0.01
CENTRE_AHEAD = 0.0
RADIUS = 1.0


def rgb_pose(path):
    with open(path) as fh:
        calib = json.load(fh)
    cam = [c for c in calib["CameraCalibrations"] if c["Label"] == "camera-rgb"][0]
    pose = cam["T_Device_Camera"]
    w = pose["UnitQuaternion"][0]
    x, y, z = pose["UnitQuaternion"][1]
    q = np.array([w, x, y, z], dtype=np.float64)
    q = q / np.linalg.norm(q)
    w, x, y, z = q
    rot = np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ])
    return rot, np.array(pose["Translation"], dtype=np.float64)


def hand_in_camera(rng, centre, size):
    """21 points in MPS order around a centre (camera frame): wrist 5 and palm 20 on a line, fingers ahead."""
    pts = np.zeros((21, 3))
    direction = rng.normal(size=3)
    direction /= np.linalg.norm(direction)
    side = np.cross(direction, [0.0, 0.0, 1.0])
    side /= np.linalg.norm(side)
    pts[5] = centre - 0.5 * size * direction           # wrist
    pts[20] = centre - 0.2 * size * direction          # palm centre
    for f in range(5):
        spread = (f - 2) * 0.18 * size
        base = pts[20] + 0.25 * size * direction + spread * side
        tip = base + (0.35 + 0.05 * rng.random()) * size * direction + rng.normal(scale=0.02 * size, size=3)
        pts[f] = tip                                   # fingertips 0..4
        if f == 0:
            pts[6] = base + 0.3 * (tip - base)
            pts[7] = base + 0.7 * (tip - base)
        else:
            j = 8 + 3 * (f - 1)
            pts[j] = base
            pts[j + 1] = base + 0.45 * (tip - base)
            pts[j + 2] = base + 0.8 * (tip - base)
    return pts


def box_of(points_2d, width, height):
    x1, y1 = points_2d.min(axis=0) - PAD
    x2, y2 = points_2d.max(axis=0) + PAD
    x1, y1 = max(0.0, x1), max(0.0, y1)
    x2, y2 = min(width - 1.0, x2), min(height - 1.0, y2)
    if x2 - x1 < 2 or y2 - y1 < 2:
        return None
    return [float(x1), float(y1), float(x2), float(y2)]


def boxes(cam_pts, confidence, params):
    if confidence < MIN_CONFIDENCE or (cam_pts[:, 2] < MIN_DEPTH).any():
        return None, None
    pin = np.stack([150.0 * cam_pts[:, 0] / cam_pts[:, 2] + 255.5, 150.0 * cam_pts[:, 1] / cam_pts[:, 2] + 255.5], axis=1)
    u, v = project_ab(params, cam_pts[:, 0] / cam_pts[:, 2], cam_pts[:, 1] / cam_pts[:, 2])
    return box_of(pin, 512, 512), box_of(np.stack([u, v], axis=1), 1408, 1408)


def wrist_palm_box(cam_pts, confidence):
    wrist, palm = cam_pts[5], cam_pts[20]
    centre = palm + CENTRE_AHEAD * (palm - wrist)
    radius = RADIUS * np.linalg.norm(palm - wrist)
    if confidence < MIN_CONFIDENCE or wrist[2] < MIN_DEPTH or palm[2] < MIN_DEPTH or centre[2] - radius < MIN_DEPTH:
        return None
    cx = 150.0 * centre[0] / centre[2] + 255.5
    cy = 150.0 * centre[1] / centre[2] + 255.5
    half = 150.0 * radius / centre[2]
    return box_of(np.array([[cx - half, cy - half], [cx + half, cy + half]]), 512, 512)


def csv_header():
    cols = ["tracking_timestamp_us"]
    for s in ("left", "right"):
        cols.append(f"{s}_tracking_confidence")
        for i in range(21):
            cols += [f"tx_{s}_landmark_{i}_device", f"ty_{s}_landmark_{i}_device", f"tz_{s}_landmark_{i}_device"]
        cols += [f"tx_{s}_device_wrist", f"ty_{s}_device_wrist", f"tz_{s}_device_wrist",
                 f"qx_{s}_device_wrist", f"qy_{s}_device_wrist", f"qz_{s}_device_wrist", f"qw_{s}_device_wrist"]
    for s in ("left", "right"):
        for part in ("palm", "wrist"):
            cols += [f"nx_{s}_{part}_device", f"ny_{s}_{part}_device", f"nz_{s}_{part}_device"]
    return cols


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    params = rescale_2880_to_1408(rgb_params(args.calibration))
    rot, trans = rgb_pose(args.calibration)
    rng = np.random.default_rng(20261201)

    # (time, side, centre in the camera frame, size, confidence); None centre = hand absent
    plan = []
    for k in range(8):
        t = 1_000_000 + 33_333 * k
        plan.append((t, "left", [-0.12 + 0.01 * k, 0.10, 0.40], 0.17, 0.9))
        plan.append((t, "right", [0.11, 0.09 - 0.01 * k, 0.38 + 0.02 * k], 0.18, 0.95))
    t = 1_000_000 + 33_333 * 8
    plan.append((t, "left", [0.0, 0.0, 0.45], 0.17, 0.3))          # below the confidence threshold
    plan.append((t, "right", [0.05, 0.0, -0.30], 0.17, 0.9))       # behind the camera
    t += 33_333
    plan.append((t, "left", [3.0, 0.0, 0.40], 0.17, 0.9))          # far outside the 512 view
    plan.append((t, "right", None, 0, -1.0))                        # absent

    samples = {}
    for time_us, side, centre, size, conf in plan:
        entry = {"side": side, "confidence": conf}
        if centre is not None:
            cam = hand_in_camera(rng, np.array(centre, dtype=np.float64), size)
            device = cam @ rot.T + trans
            und, fish = boxes(cam, conf, params)
            entry.update({
                "landmarks_device": device.ravel().tolist(),
                "box_undistorted": und,
                "box_fisheye": fish,
                "box_undistorted_wrist_palm": wrist_palm_box(cam, conf),
            })
        samples.setdefault(time_us, []).append(entry)

    os.makedirs(args.out, exist_ok=True)
    rows = [{"timestamp_us": t, "hands": hands} for t, hands in sorted(samples.items())]
    with open(os.path.join(args.out, "handboxes_reference.json"), "w") as fh:
        json.dump({"calibration_size": 1408, "min_confidence": MIN_CONFIDENCE, "samples": rows}, fh, indent=1)
        fh.write("\n")
    header = csv_header()
    with open(os.path.join(args.out, "hand_tracking_results.csv"), "w") as fh:
        fh.write(",".join(header) + "\n")
        for row in rows:
            values = {"tracking_timestamp_us": str(row["timestamp_us"])}
            for s in ("left", "right"):
                values[f"{s}_tracking_confidence"] = "-1"
            for hand in row["hands"]:
                s = hand["side"]
                values[f"{s}_tracking_confidence"] = repr(hand["confidence"])
                for i, v in enumerate(hand.get("landmarks_device", [])):
                    values[f"t{'xyz'[i % 3]}_{s}_landmark_{i // 3}_device"] = repr(v)
            fh.write(",".join(values.get(c, "0") for c in header) + "\n")


if __name__ == "__main__":
    main()
