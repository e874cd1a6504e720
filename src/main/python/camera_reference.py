#!/usr/bin/env python3
"""Independent NumPy reference numbers for egopose's Aria camera and hand-crop code.

Written from the formulas in REFERENCE.md sections 2 and 4 (not from the Java code) and run with
Debian's /usr/bin/python3 (numpy only):

    /usr/bin/python3 src/main/python/camera_reference.py \
        --calibration stream-app/src/main/resources/dev/egopose/camera/aria_factory_calibration_sample.json \
        --out stream-app/src/test/resources/dev/egopose/camera/camera_reference.json

What it writes (all for the sample factory calibration rescaled to 1408x1408 by Ego-Exo4D's rule):
- rescaled parameters;
- projections of chosen 3D points;
- unprojections of chosen pixels, solved differently from the Java code: a 2-D Newton iteration on
  the whole projection (a, b) -> pixel with a central finite-difference Jacobian;
- undistortion-map samples (target pinhole pixel -> fisheye pixel and validity);
- the crop affine of chosen boxes, by the formula and by the baseline's float32 three-point route;
- pixel values of the benchmark's 512x512 undistortion, of exact crops and of fused crops of a
  synthetic ramp frame R = floor(255 x / 1407), G = floor(255 y / 1407), B = floor(255 (x + y) / 2814),
  sampled with plain bilinear interpolation in float64.
"""
import argparse
import json

import numpy as np

SIZE = 1408
PIN_W = PIN_H = 512
PIN_F = 150.0
PIN_C = 255.5
CONE = 1.0
CROP = 224


def rgb_params(path):
    with open(path) as fh:
        calib = json.load(fh)
    cams = [c for c in calib["CameraCalibrations"] if c["Label"] == "camera-rgb"]
    assert len(cams) == 1
    p = np.array(cams[0]["Projection"]["Params"], dtype=np.float64)
    assert p.shape == (15,)
    return p


def rescale_2880_to_1408(p):
    q = p.copy()
    q[0] = p[0] / 2
    q[1] = (p[1] - 0.5 - 32) / 2
    q[2] = (p[2] - 0.5 - 32) / 2
    return q


def project_ab(p, a, b):
    """Fisheye624 projection of normalised points (a, b) = (x/z, y/z); arrays of any shape."""
    f, cu, cv = p[0], p[1], p[2]
    k = p[3:9]
    p0, p1 = p[9], p[10]
    s0, s1, s2, s3 = p[11], p[12], p[13], p[14]
    r = np.sqrt(a * a + b * b)
    th = np.arctan(r)
    rad = np.ones_like(th)
    for i in range(6):
        rad = rad + k[i] * th ** (2 * i + 2)
    ratio = np.where(r > 1e-12, th / np.where(r > 1e-12, r, 1.0), 1.0)
    xr = rad * ratio * a
    yr = rad * ratio * b
    rd2 = xr * xr + yr * yr
    t = 2 * (xr * p0 + yr * p1)
    u = xr + t * xr + rd2 * p0 + s0 * rd2 + s1 * rd2 * rd2
    v = yr + t * yr + rd2 * p1 + s2 * rd2 + s3 * rd2 * rd2
    return f * u + cu, f * v + cv


def unproject_fd(p, px, py):
    """Ray (x, y, 1) through pixel (px, py): Newton on (a, b) with a finite-difference Jacobian."""
    a = (px - p[1]) / p[0]
    b = (py - p[2]) / p[0]
    # a fisheye pixel is closer to the centre than the pinhole point: start from a rough tan stretch
    r = np.hypot(a, b)
    if r > 1e-12:
        a, b = a * np.tan(min(r, 1.4)) / r, b * np.tan(min(r, 1.4)) / r
    h = 1e-7
    for _ in range(100):
        u, v = project_ab(p, np.array(a), np.array(b))
        eu, ev = float(u) - px, float(v) - py
        if abs(eu) < 1e-11 and abs(ev) < 1e-11:
            break
        ua, va = project_ab(p, np.array(a + h), np.array(b))
        ub, vb = project_ab(p, np.array(a - h), np.array(b))
        uc, vc = project_ab(p, np.array(a), np.array(b + h))
        ud, vd = project_ab(p, np.array(a), np.array(b - h))
        jac = np.array([[float(ua - ub), float(uc - ud)], [float(va - vb), float(vc - vd)]]) / (2 * h)
        step = np.linalg.solve(jac, np.array([eu, ev]))
        a, b = a - step[0], b - step[1]
    else:
        raise RuntimeError("no convergence at pixel %r" % ((px, py),))
    return [float(a), float(b), 1.0]


def ramp_image():
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.int64)
    img = np.stack([(255 * x) // (SIZE - 1), (255 * y) // (SIZE - 1), (255 * (x + y)) // (2 * (SIZE - 1))], axis=-1)
    return img.astype(np.float64)


def bilinear(img, x, y):
    """Bilinear sample of img (H, W, C) at float arrays x, y already known to be inside [0, W-1] x [0, H-1]."""
    h, w = img.shape[:2]
    x0 = np.minimum(np.floor(x).astype(np.int64), w - 2)
    y0 = np.minimum(np.floor(y).astype(np.int64), h - 2)
    fx = (x - x0)[..., None]
    fy = (y - y0)[..., None]
    return ((1 - fx) * (1 - fy) * img[y0, x0] + fx * (1 - fy) * img[y0, x0 + 1]
            + (1 - fx) * fy * img[y0 + 1, x0] + fx * fy * img[y0 + 1, x0 + 1])


def undistort_sources(p, tx, ty):
    a = (tx - PIN_C) / PIN_F
    b = (ty - PIN_C) / PIN_F
    sx, sy = project_ab(p, a, b)
    valid = (np.arctan(np.hypot(a, b)) <= CONE) & (sx >= 0) & (sy >= 0) & (sx <= SIZE - 1) & (sy <= SIZE - 1)
    return sx, sy, valid


def crop_affine(box):
    x1, y1, x2, y2 = box
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    side = max(x2 - x1, y2 - y1)
    k = CROP / (1.25 * side)
    return k, CROP / 2 - k * cx, CROP / 2 - k * cy


def baseline_affine(box):
    """The baseline's own route (float32 centre/scale, three float32 point pairs, exact 2x3 solve)."""
    x1, y1, x2, y2 = box
    centre = np.array([(x1 + x2) / 2, (y1 + y2) / 2], dtype=np.float32)
    side = max(x2 - x1, y2 - y1)
    scale = np.array([side / 200, side / 200], dtype=np.float32) * 1.25
    src_w = (scale * 200.0)[0]
    src = np.zeros((3, 2), dtype=np.float32)
    dst = np.zeros((3, 2), dtype=np.float32)
    src[0] = centre
    src[1] = centre + np.array([0, -0.5 * src_w])
    src[2] = src[1] + np.array([-(src[0] - src[1])[1], (src[0] - src[1])[0]], dtype=np.float32)
    dst[0] = [CROP / 2, CROP / 2]
    dst[1] = [CROP / 2, 0]
    dst[2] = dst[1] + np.array([-(dst[0] - dst[1])[1], (dst[0] - dst[1])[0]], dtype=np.float32)
    a = np.zeros((6, 6))
    rhs = np.zeros(6)
    for i in range(3):
        a[2 * i, 0:3] = [src[i, 0], src[i, 1], 1]
        a[2 * i + 1, 3:6] = [src[i, 0], src[i, 1], 1]
        rhs[2 * i], rhs[2 * i + 1] = dst[i]
    return np.linalg.solve(a, rhs).reshape(2, 3).tolist()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    p = rescale_2880_to_1408(rgb_params(args.calibration))
    out = {"size": SIZE, "params_1408": p.tolist()}

    # projections of 3D points at chosen off-axis angles, azimuths and depths
    points = []
    for angle in [0.0, 0.05, 0.3, 0.6, 0.9, 1.0, 1.1, 1.2]:
        for az in np.linspace(0, 2 * np.pi, 7, endpoint=False) + 0.3:
            depth = 0.25 + angle
            x = np.sin(angle) * np.cos(az) * depth
            y = np.sin(angle) * np.sin(az) * depth
            z = np.cos(angle) * depth
            u, v = project_ab(p, np.array(x / z), np.array(y / z))
            points.append({"point": [x, y, z], "pixel": [float(u), float(v)]})
    out["projections"] = points

    # unprojections of chosen pixels, corners included
    pixels = []
    for py in [0.0, 100.25, 352.0, 703.5, 900.75, 1200.0, 1407.0]:
        for px in [0.0, 50.5, 400.0, 718.5, 1000.0, 1300.25, 1407.0]:
            pixels.append({"pixel": [px, py], "ray": unproject_fd(p, px, py)})
    out["unprojections"] = pixels

    # undistortion map samples
    tx, ty = np.meshgrid(np.arange(0, 512, 17.0), np.arange(0, 512, 19.0))
    tx = np.concatenate([tx.ravel(), [0, 511, 511, 0, 255, 256, 255.5 + 233.0, 255.5 + 234.0]])
    ty = np.concatenate([ty.ravel(), [0, 0, 511, 511, 255, 256, 255.5, 255.5]])
    sx, sy, valid = undistort_sources(p, tx, ty)
    out["undistort_map"] = [
        {"target": [float(a), float(b)], "source": [float(c), float(d)], "valid": bool(e)}
        for a, b, c, d, e in zip(tx, ty, sx, sy, valid)
    ]

    # the benchmark's 512x512 undistortion of the ramp frame
    img = ramp_image()
    gy, gx = np.mgrid[0:PIN_H, 0:PIN_W].astype(np.float64)
    fsx, fsy, fvalid = undistort_sources(p, gx, gy)
    und = np.zeros((PIN_H, PIN_W, 3))
    und[fvalid] = bilinear(img, fsx[fvalid], fsy[fvalid])
    und_u8 = np.floor(und + 0.5)  # the undistorted image is stored in 8 bits
    sample = [(int(x), int(y)) for y in range(3, 512, 23) for x in range(5, 512, 29)]
    out["undistorted_ramp"] = [
        {"pixel": [x, y], "valid": bool(fvalid[y, x]), "rgb": und[y, x].tolist()} for x, y in sample
    ]

    # crops of the ramp frame: exact (crop of the 8-bit undistorted image) and fused (straight from the frame)
    boxes = [[288.72, 325.86, 449.42, 473.67], [40.0, 250.0, 190.0, 370.0], [230.5, 120.25, 290.0, 200.0]]
    crops = []
    for box in boxes:
        k, ctx, cty = crop_affine(box)
        cy, cx = np.mgrid[0:CROP:7, 0:CROP:7].astype(np.float64)
        ux = (cx - ctx) / k
        uy = (cy - cty) / k
        # exact: bilinear on the 8-bit undistorted image, black outside it (pixel-exact interior only)
        inside = (ux >= 0) & (uy >= 0) & (ux <= PIN_W - 1) & (uy <= PIN_H - 1)
        exact = np.zeros(cx.shape + (3,))
        exact[inside] = bilinear(und_u8, ux[inside], uy[inside])
        # fused: crop pixel -> pinhole ray -> fisheye pixel -> bilinear on the frame
        fx, fy, fval = undistort_sources(p, ux, uy)
        fval &= inside
        fused = np.zeros(cx.shape + (3,))
        fused[fval] = bilinear(img, fx[fval], fy[fval])
        # a sample whose bilinear footprint touches an invalid undistorted pixel is not comparable pixel-exactly
        x0 = np.clip(np.floor(ux).astype(int), 0, PIN_W - 2)
        y0 = np.clip(np.floor(uy).astype(int), 0, PIN_H - 2)
        footprint = inside & fvalid[y0, x0] & fvalid[y0, x0 + 1] & fvalid[y0 + 1, x0] & fvalid[y0 + 1, x0 + 1]
        crops.append({
            "box": box,
            "k": k,
            "matrix": [[k, 0.0, ctx], [0.0, k, cty]],
            "baseline_matrix": baseline_affine(box),
            "samples": [
                {"pixel": [int(a), int(b)], "interior": bool(c), "valid": bool(d), "exact": e.tolist(), "fused": f.tolist()}
                for a, b, c, d, e, f in zip(cx.ravel(), cy.ravel(), footprint.ravel(), fval.ravel(),
                                            exact.reshape(-1, 3), fused.reshape(-1, 3))
            ],
        })
    out["crops"] = crops

    with open(args.out, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
