#!/usr/bin/env bash
# One command for a CUDA host: builds egopose, exports s12 with random weights three ways (float32
# rewritten, float32 plain, float16 rewritten), checks them on the GPU against PyTorch's numbers, and
# prints `bench model` figures (and `bench pipeline` figures when the build has that command).
#
#   scripts/gpu-bench.sh [WORKDIR]          (default WORKDIR: a new folder under /tmp; kept)
#
# Needs: an NVIDIA GPU with a driver for CUDA 12.8 (R570 or later), JDK 17+, Maven, and libtorch 2.7.1
# built for CUDA 12.8, which is what DJL 0.35.1's JNI jar has a library for (linux-x86_64/cu128). The
# simplest source is the torch 2.7.1+cu128 wheel:
#   python3 -m venv /opt/torch-cu128
#   /opt/torch-cu128/bin/pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128
#   EGOPOSE_TORCH_PYTHON=/opt/torch-cu128/bin/python scripts/gpu-bench.sh
# The script finds it through, in this order: PYTORCH_LIBRARY_PATH (a folder with libtorch.so),
# EGOPOSE_TORCH_PYTHON, python3 on PATH, /usr/bin/python3. It then sets PYTORCH_LIBRARY_PATH,
# PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128 for every JVM: DJL loads that libtorch and takes the
# cu128 JNI library out of the pytorch-jni jar, without the network (ai.djl.offline=true).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "gpu-bench: $*" >&2; exit 2; }
step() { echo; echo "== $*"; }

work="${1:-$(mktemp -d /tmp/egopose-gpu-bench.XXXXXX)}"
mkdir -p "$work"

step "checks"
command -v nvidia-smi >/dev/null || die "nvidia-smi not found: no NVIDIA driver on this host"
nvidia-smi -L | grep -q GPU || die "nvidia-smi lists no GPU"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
command -v java >/dev/null || die "java not found (JDK 17 or later is needed)"
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "java is version '$java_major'; 17 or later is needed"
command -v mvn >/dev/null || die "mvn not found (Maven 3.8+ is needed)"

# A Python whose torch is 2.7.1 built for CUDA 12.8; prints its torch/lib.
cuda_torch_lib() {
  "$1" - <<'EOF' 2>/dev/null
import os, sys, torch
ok = torch.__version__.split("+")[0] == "2.7.1" and (torch.version.cuda or "").startswith("12.8")
print(os.path.join(os.path.dirname(torch.__file__), "lib")) if ok else sys.exit(1)
EOF
}
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
  for py in "${EGOPOSE_TORCH_PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$py" ] && command -v "$py" >/dev/null || continue
    if lib="$(cuda_torch_lib "$py")"; then
      PYTORCH_LIBRARY_PATH="$lib"
      torch_python="$py"
      break
    fi
  done
fi
[ -n "${PYTORCH_LIBRARY_PATH:-}" ] || die "no libtorch 2.7.1 for CUDA 12.8 found. Install the wheel (see the top of $0) and set EGOPOSE_TORCH_PYTHON, or set PYTORCH_LIBRARY_PATH to its torch/lib"
for so in libtorch.so libtorch_cuda.so libc10_cuda.so; do
  [ -f "$PYTORCH_LIBRARY_PATH/$so" ] || die "$PYTORCH_LIBRARY_PATH has no $so: not a CUDA build of libtorch"
done
# The wheel's CUDA runtime, cuDNN and cuBLAS live in site-packages/nvidia/*/lib; libtorch finds them by
# its RPATH, LD_LIBRARY_PATH is a second way.
for d in "$PYTORCH_LIBRARY_PATH"/../../nvidia/*/lib; do
  [ -d "$d" ] && LD_LIBRARY_PATH="$(cd "$d" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
export PYTORCH_LIBRARY_PATH PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.djl.ai}" OPT_OUT_TRACKING=true
echo "libtorch: $PYTORCH_LIBRARY_PATH (PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR)"

# The exporter runs on the CPU with any torch from 1.13 on: Debian's, else the CUDA wheel's.
export_python=""
for py in /usr/bin/python3 "${torch_python:-}" "${EGOPOSE_TORCH_PYTHON:-}"; do
  if [ -n "$py" ] && "$py" -c 'import torch, numpy' 2>/dev/null; then export_python="$py"; break; fi
done
[ -n "$export_python" ] || die "no Python with torch and numpy for the exporter (/usr/bin/python3 or EGOPOSE_TORCH_PYTHON)"
echo "exporter python: $export_python ($("$export_python" -c 'import torch; print(torch.__version__)'))"

step "build"
mvn -B -ntp -q package -DskipTests
jar="stream-app/target/egopose.jar"
egopose() { java -jar "$jar" "$@"; }

step "export s12, random weights (seed 1): rewritten float32, plain float32, rewritten float16"
exporter=src/main/python/export_potter.py
"$export_python" "$exporter" --config s12 --random-init --seed 1 --out "$work/s12" --fixture --fixture-batch 2
"$export_python" "$exporter" --config s12 --random-init --seed 1 --out "$work/s12-plain" --no-rewrite
"$export_python" "$exporter" --config s12 --random-init --seed 1 --out "$work/s12-half" --half --fixture --fixture-batch 2

step "smoke: s12 on gpu, batch 1"
egopose bench model --model "$work/s12" --device gpu --batches 1 --seconds 1 \
  || die "the model did not run on the GPU (see the error above: libtorch, driver, PYTORCH_* variables)"

step "parity on the GPU: DJL vs PyTorch's float32 reference (float32 within 1e-4, float16 within 0.02)"
# Not fatal: cuDNN may run float32 convolutions in TF32 on Ampere and later GPUs, ~1e-3 off. Judged from
# the test's own report (the build's other surefire executions run too and could fail on their own).
report=stream-app/target/surefire-reports/dev.egopose.model.djl.S12ParityTest.txt
rm -f "$report"
EGOPOSE_S12_DIR="$work/s12" EGOPOSE_S12_HALF_DIR="$work/s12-half" EGOPOSE_TEST_DEVICE=gpu \
  mvn -B -ntp -pl stream-app -am test -Dtest=S12ParityTest -Dsurefire.failIfNoSpecifiedTests=false \
  > "$work/parity.log" 2>&1 || true
if [ -f "$report" ] && grep -q "Tests run: 2, Failures: 0, Errors: 0, Skipped: 0" "$report"; then
  echo "parity: PASS (both exports)"
else
  echo "parity: FAIL or not run; the test's report and the log ($work/parity.log) say:"
  grep -h -E "Tests run:|largest difference|Exception" "$report" 2>/dev/null | head -5 || tail -20 "$work/parity.log"
fi

step "bench model on the GPU: plain vs rewritten vs float16, same weights, taking turns"
egopose bench model --device gpu --model "$work/s12-plain" --model "$work/s12" --model "$work/s12-half" \
  --batches 1,2,4,8,16,32,64 --seconds 2 --rounds 3 --json > "$work/bench-model.json"
"$export_python" - "$work/bench-model.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
names = [m["dir"].rsplit("/", 1)[-1] for m in report["models"]]
print("crops/s on %s (median of %d rounds; JSON in %s)" % (report["device"], report["rounds"], sys.argv[1]))
print("%6s" % "batch" + "".join("%12s" % n for n in names))
for row in zip(*(m["results"] for m in report["models"])):
    print("%6d" % row[0]["batch"] + "".join("%12.1f" % r["crops_per_s"] for r in row))
PY

bench_help="$(egopose bench --help 2>&1 || true)"
if grep -q pipeline <<<"$bench_help"; then
  step "bench pipeline on the GPU (s12, rewritten float32, then float16)"
  pipeline_help="$(egopose bench pipeline --help 2>&1 || true)"
  # The device through the settings (EGOPOSE_MODEL_DEVICE, --set model.device) or its own --device.
  device_flag=()
  if grep -q -- "--set" <<<"$pipeline_help"; then device_flag=(--set model.device=gpu)
  elif grep -q -- "--device" <<<"$pipeline_help"; then device_flag=(--device gpu); fi
  for model in s12 s12-half; do
    EGOPOSE_MODEL_DEVICE=gpu egopose bench pipeline --model "$work/$model" ${device_flag[@]+"${device_flag[@]}"} --json | tee "$work/bench-pipeline-$model.json"
  done
else
  step "bench pipeline: not in this build, skipped"
fi

echo
echo "done; exports, logs and figures in $work"
