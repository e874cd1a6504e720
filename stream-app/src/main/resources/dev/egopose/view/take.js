'use strict';
// One take live: pose events over Server-Sent Events, drawn on three canvases.
(() => {
  const main = document.getElementById('take');
  const uid = main.dataset.uid;
  const api = '/api/takes/' + encodeURIComponent(uid);
  const frameCanvas = document.getElementById('frame');
  const handsCanvas = document.getElementById('hands3d');
  const sparkCanvas = document.getElementById('spark');
  const COLOUR = { RIGHT: '#ff00ff', LEFT: '#00ffff' };
  const BACKGROUND = '#101418';
  const KEPT = 200;
  // the benchmark's 21 joints: 0 wrist, then four per finger from its base
  const BONES = [];
  for (let finger = 0; finger < 5; finger++) {
    const base = 1 + 4 * finger;
    BONES.push([0, base], [base, base + 1], [base + 1, base + 2], [base + 2, base + 3]);
  }

  let latest = null;
  let shown = 0;
  let lastFrame = -1;
  const latencies = [];
  const delays = [];
  let picture = null;
  let pictureFrame = -1;
  let loading = -1;
  let dirty = false;
  let yaw = -0.5;
  let pitch = 0.35;

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function keep(list, value) {
    list.push(value);
    if (list.length > KEPT) list.shift();
  }

  function median(list) {
    if (list.length === 0) return NaN;
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  function onPose(message) {
    const update = JSON.parse(message.data);
    const pose = update.pose;
    if (pose.frameNumber <= lastFrame) return; // replayed on reconnect, or already drawn
    lastFrame = pose.frameNumber;
    latest = pose;
    shown++;
    keep(latencies, pose.latencyMs);
    if (!update.replayed) keep(delays, Date.now() - pose.emittedAtMs); // pose out of the processor -> on this page
    const take = update.take;
    text('shown', String(shown));
    text('frame-number', String(pose.frameNumber));
    text('fps', take.framesPerSecond.toFixed(1));
    text('latency', take.latencyMsP50.toFixed(0));
    text('latency-last', pose.latencyMs.toFixed(0));
    text('delay', median(delays).toFixed(0));
    text('dlq', String(take.deadLetters));
    if (take.name) text('take-name', take.name);
    dirty = true;
  }

  function fetchPicture(frame) {
    loading = frame;
    const image = new Image();
    image.onload = () => {
      picture = image;
      pictureFrame = frame;
      loading = -1;
      text('picture', 'picture of frame ' + frame);
      dirty = true;
    };
    image.onerror = () => { loading = -1; };
    image.src = api + '/pictures/' + frame;
  }

  function drawFrame() {
    const g = frameCanvas.getContext('2d');
    g.fillStyle = BACKGROUND;
    g.fillRect(0, 0, frameCanvas.width, frameCanvas.height);
    if (picture) g.drawImage(picture, 0, 0);
    let points = 0;
    for (const hand of latest.hands) {
      const colour = COLOUR[hand.side] || '#ffffff';
      const [x1, y1, x2, y2] = hand.box;
      g.strokeStyle = colour;
      g.lineWidth = 1;
      g.strokeRect(x1, y1, x2 - x1, y2 - y1);
      const p = hand.pixels;
      if (p.length === 0) continue;
      g.lineWidth = 2;
      g.beginPath();
      for (const [a, b] of BONES) {
        g.moveTo(p[2 * a], p[2 * a + 1]);
        g.lineTo(p[2 * b], p[2 * b + 1]);
      }
      g.stroke();
      g.fillStyle = colour;
      for (let j = 0; j < 21; j++) {
        g.fillRect(p[2 * j] - 2, p[2 * j + 1] - 2, 5, 5);
        points++;
      }
    }
    frameCanvas.dataset.points = String(points);
  }

  // camera axes: x right, y down, z forward; rotated by yaw (about y) then pitch (about x), drawn orthographically
  function project(x, y, z, cx, cy, scale) {
    const cyaw = Math.cos(yaw), syaw = Math.sin(yaw);
    const x1 = cyaw * x + syaw * z;
    const z1 = -syaw * x + cyaw * z;
    const cp = Math.cos(pitch), sp = Math.sin(pitch);
    const y2 = cp * y - sp * z1;
    return [cx + scale * x1, cy + scale * y2];
  }

  function drawHands() {
    const g = handsCanvas.getContext('2d');
    const w = handsCanvas.width, h = handsCanvas.height;
    g.fillStyle = BACKGROUND;
    g.fillRect(0, 0, w, h);
    const scale = 1100; // pixels per metre
    // a 10 cm grid in the plane y = 0.1 m under the wrists
    g.strokeStyle = '#2c3440';
    g.lineWidth = 1;
    g.beginPath();
    for (let i = -3; i <= 3; i++) {
      let a = project(i * 0.1, 0.1, -0.3, w / 2, h / 2, scale), b = project(i * 0.1, 0.1, 0.3, w / 2, h / 2, scale);
      g.moveTo(a[0], a[1]); g.lineTo(b[0], b[1]);
      a = project(-0.3, 0.1, i * 0.1, w / 2, h / 2, scale); b = project(0.3, 0.1, i * 0.1, w / 2, h / 2, scale);
      g.moveTo(a[0], a[1]); g.lineTo(b[0], b[1]);
    }
    g.stroke();
    let points = 0;
    for (const hand of latest ? latest.hands : []) {
      const offset = hand.side === 'LEFT' ? -0.09 : 0.09; // each hand beside the other, wrists 18 cm apart
      const j = hand.joints;
      const p = [];
      for (let k = 0; k < 21; k++) p.push(project(j[3 * k] + offset, j[3 * k + 1], j[3 * k + 2], w / 2, h / 2, scale));
      const colour = COLOUR[hand.side] || '#ffffff';
      g.strokeStyle = colour;
      g.lineWidth = 2;
      g.beginPath();
      for (const [a, b] of BONES) {
        g.moveTo(p[a][0], p[a][1]);
        g.lineTo(p[b][0], p[b][1]);
      }
      g.stroke();
      g.fillStyle = colour;
      for (const q of p) {
        g.beginPath();
        g.arc(q[0], q[1], 3, 0, 2 * Math.PI);
        g.fill();
        points++;
      }
    }
    g.fillStyle = '#8894a4';
    g.font = '12px sans-serif';
    g.fillText('yaw ' + (yaw * 180 / Math.PI).toFixed(0) + '\u00b0, pitch ' + (pitch * 180 / Math.PI).toFixed(0) + '\u00b0', 8, h - 8);
    handsCanvas.dataset.points = String(points);
  }

  function drawSpark() {
    const g = sparkCanvas.getContext('2d');
    const w = sparkCanvas.width, h = sparkCanvas.height;
    g.fillStyle = BACKGROUND;
    g.fillRect(0, 0, w, h);
    if (latencies.length === 0) return;
    const top = Math.max(...latencies, 1);
    g.strokeStyle = '#f0b429';
    g.lineWidth = 1.5;
    g.beginPath();
    latencies.forEach((v, i) => {
      const x = w - (latencies.length - 1 - i) * (w / KEPT);
      const y = h - 4 - (h - 20) * Math.max(0, v) / top;
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
    g.fillStyle = '#c8d0da';
    g.font = '12px sans-serif';
    g.fillText('max ' + top.toFixed(0) + ' ms, last ' + latencies[latencies.length - 1].toFixed(0) + ' ms', 8, 14);
  }

  function frame() {
    if (latest && latest.picture >= 0 && latest.picture !== pictureFrame && loading < 0) fetchPicture(latest.picture);
    if (dirty && latest) {
      dirty = false;
      drawFrame();
      drawHands();
      drawSpark();
    }
    requestAnimationFrame(frame);
  }

  let dragging = null;
  handsCanvas.addEventListener('pointerdown', e => {
    dragging = [e.clientX, e.clientY];
    handsCanvas.setPointerCapture(e.pointerId);
  });
  handsCanvas.addEventListener('pointermove', e => {
    if (!dragging) return;
    yaw += (e.clientX - dragging[0]) * 0.01;
    pitch = Math.max(-1.5, Math.min(1.5, pitch + (e.clientY - dragging[1]) * 0.01));
    dragging = [e.clientX, e.clientY];
    dirty = true;
  });
  handsCanvas.addEventListener('pointerup', () => { dragging = null; });

  const events = new EventSource(api + '/events');
  events.addEventListener('pose', onPose);
  events.onopen = () => text('status', 'live');
  events.onerror = () => text('status', 'reconnecting');
  drawHands();
  requestAnimationFrame(frame);
})();
