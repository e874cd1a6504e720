"""The headset bridge against a loopback HTTP server that parses what it receives."""
import email.parser
import email.policy
import http.server
import json
import os
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import aria_bridge  # noqa: E402


class Recorder(http.server.BaseHTTPRequestHandler):
    received = []
    answer = 202

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
        parts = {part.get_param("name", header="content-disposition"): part.get_payload(decode=True) for part in message.iter_parts()}
        Recorder.received.append((time.monotonic(), self.path, self.headers.get("Authorization"), parts))
        self.send_response(Recorder.answer)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"topic": "t", "partition": 0, "offset": len(Recorder.received)}).encode())

    def log_message(self, *args):
        pass


class AriaBridgeTest(unittest.TestCase):
    def setUp(self):
        Recorder.received = []
        Recorder.answer = 202
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/frames"
        self.folder = tempfile.mkdtemp()
        for i in range(3):
            with open(os.path.join(self.folder, f"{i:06d}.jpg"), "wb") as fh:
                fh.write(b"\xff\xd8frame" + bytes([i]) + b"\xff\xd9")

    def tearDown(self):
        self.server.shutdown()

    def test_posts_each_frame_with_meta_and_image_at_the_rate(self):
        code = aria_bridge.main(["--url", self.url, "--frames", self.folder, "--take-uid", "headset-7", "--fps", "10",
                                 "--pinhole", "--token", "tok"])
        self.assertEqual(0, code)
        self.assertEqual(3, len(Recorder.received))
        for i, (_, path, auth, parts) in enumerate(Recorder.received):
            self.assertEqual("/v1/frames", path)
            self.assertEqual("Bearer tok", auth)
            meta = json.loads(parts["meta"])
            self.assertEqual("headset-7", meta["take_uid"])
            self.assertEqual(i, meta["frame_number"])
            self.assertEqual(150.0, meta["camera"]["pinhole"]["fx"])
            self.assertEqual(b"\xff\xd8frame" + bytes([i]) + b"\xff\xd9", parts["image"])
        span = Recorder.received[-1][0] - Recorder.received[0][0]
        self.assertGreater(span, 0.15, "paced at 10 fps: two intervals of 0.1 s")

    def test_a_refused_frame_makes_it_exit_non_zero(self):
        Recorder.answer = 400
        code = aria_bridge.main(["--url", self.url, "--frames", self.folder, "--take-uid", "h", "--fps", "0", "--pinhole"])
        self.assertEqual(1, code)


if __name__ == "__main__":
    unittest.main()
