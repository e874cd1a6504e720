#!/usr/bin/env python3
"""Posts camera frames to `egopose ingest` the way a headset client does (standard library only).

    python3 src/main/python/aria_bridge.py --url http://127.0.0.1:8470/v1/frames \
        --frames FOLDER_OF_JPEGS --take-uid headset-1 --fps 10 --calib calibration.json

Each JPEG of the folder (sorted by name) becomes one POST /v1/frames, multipart/form-data with the
parts `meta` (JSON) and `image` (the JPEG bytes), paced at --fps; frame numbers count from 0 and the
capture time is the wall clock when the frame is sent. The camera is the calibration JSON's
camera-rgb (--calib: a projectaria calibration, which also gives T_Device_Camera), or the benchmark's
undistorted 512x512 pinhole (--pinhole). Prints one line per frame with the server's answer and exits
non-zero if any frame was refused.

Live Aria glasses: the Project Aria Client SDK hands every RGB image to an observer callback
(`on_image_received(image, record)` in the SDK's streaming examples). There, encode the image as JPEG
(with cv2.imencode or PIL; this module needs neither) and call

    client = IngestClient(url, take_uid, camera={"calibration": device_calibration_json})
    client.post(jpeg_bytes, capture_time_ns=record.capture_timestamp_ns)

from the callback, with the device calibration the SDK gives as JSON. The RGB stream is stored
rotated 90 degrees clockwise in recordings; pass orientation="rotated_90_cw" for such images.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

PINHOLE = {"pinhole": {"fx": 150.0, "fy": 150.0, "cx": 255.5, "cy": 255.5}}


def multipart(meta, jpeg):
    """The body and content type of a request with parts meta (JSON) and image (JPEG)."""
    boundary = "egopose-" + uuid.uuid4().hex
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
        + json.dumps(meta)
        + f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"frame.jpg\"\r\n"
        + "Content-Type: image/jpeg\r\n\r\n"
    ).encode("utf-8")
    tail = f"\r\n--{boundary}--\r\n".encode("ascii")
    return head + jpeg + tail, f"multipart/form-data; boundary={boundary}"


class IngestClient:
    """One headset's stream to `egopose ingest`: frame numbers count up from 0 with every post."""

    def __init__(self, url, take_uid, take_name="", camera=None, token=None, timeout=10.0):
        self.url = url
        self.take_uid = take_uid
        self.take_name = take_name
        self.camera = camera or {"camera": PINHOLE}
        self.token = token
        self.timeout = timeout
        self.frame_number = 0

    def post(self, jpeg, capture_time_ns=None, boxes=None, hand_tracking=None, orientation="sensor"):
        """Posts one frame; returns (HTTP status, parsed JSON answer)."""
        meta = {"take_uid": self.take_uid, "take_name": self.take_name, "frame_number": self.frame_number,
                "capture_time_ns": capture_time_ns if capture_time_ns is not None else time.time_ns(),
                "orientation": orientation}
        meta.update(self.camera)
        if boxes:
            meta["boxes"] = boxes
        if hand_tracking:
            meta["hand_tracking"] = hand_tracking
        body, content_type = multipart(meta, jpeg)
        request = urllib.request.Request(self.url, data=body, method="POST", headers={"Content-Type": content_type})
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        self.frame_number += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="the ingest endpoint, e.g. http://127.0.0.1:8470/v1/frames")
    ap.add_argument("--frames", required=True, help="folder of JPEG frames, sent in name order")
    ap.add_argument("--take-uid", required=True)
    ap.add_argument("--take-name", default="")
    ap.add_argument("--fps", type=float, default=10.0, help="frames per second (0: as fast as the server answers)")
    camera = ap.add_mutually_exclusive_group(required=True)
    camera.add_argument("--calib", help="projectaria calibration JSON (camera-rgb, T_Device_Camera)")
    camera.add_argument("--pinhole", action="store_true", help="frames are the benchmark's undistorted 512x512 images")
    ap.add_argument("--token", default=os.environ.get("EGOPOSE_INGEST_TOKEN"), help="bearer token (default: $EGOPOSE_INGEST_TOKEN)")
    args = ap.parse_args(argv)
    if args.calib:
        with open(args.calib) as fh:
            cam = {"calibration": json.load(fh)}
    else:
        cam = {"camera": PINHOLE}
    files = sorted(f for f in os.listdir(args.frames) if f.lower().endswith((".jpg", ".jpeg")))
    if not files:
        print(f"no .jpg files in {args.frames}", file=sys.stderr)
        return 2
    client = IngestClient(args.url, args.take_uid, args.take_name, cam, args.token)
    start = time.monotonic()
    refused = 0
    for i, name in enumerate(files):
        if args.fps > 0:
            delay = start + i / args.fps - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        with open(os.path.join(args.frames, name), "rb") as fh:
            status, answer = client.post(fh.read())
        print(f"{name}: {status} {json.dumps(answer)}", flush=True)
        refused += status != 202
    print(f"sent {len(files)} frames in {time.monotonic() - start:.1f} s, {refused} refused")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
