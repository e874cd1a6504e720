#!/usr/bin/env bash
# Fetches MediaPipe Hands' TFLite models (Apache-2.0) for the image-only hand detector, never into git.
# The npm package @mediapipe/hands ships the landmark models as files and packs the palm models into
# hands_solution_packed_assets.data; the byte ranges come from hands_solution_packed_assets_loader.js
# and must match the ones recorded here, and every file must match its recorded sha256.
# Usage: scripts/fetch-mediapipe.sh [DIR]   (default: $EGOPOSE_MEDIAPIPE_DIR or ~/.cache/egopose/mediapipe)
set -euo pipefail

version=0.4.1675469240
dir="${1:-${EGOPOSE_MEDIAPIPE_DIR:-$HOME/.cache/egopose/mediapipe}}"
declare -A sha=(
  [palm_detection_full.tflite]=2f25e740121983f68ffc05f99991d524dc0ea812134f6316a26125816941ee85
  [palm_detection_lite.tflite]=e9a4aaddf90dda56a87235303cf00e4c2d3fb28725f68fd88772997dac905c18
  [hand_landmark_full.tflite]=8c026882c9ec059ce0f8e75266bee5a9a23c341a40e0000df755374d3d1b9b68
  [hand_landmark_lite.tflite]=d7fde8ac11f8ce03f8663775bfc323f4fc9f2a38062b4f4efa142874ef5b2a48
)
declare -A range=(
  [palm_detection_full.tflite]="11 2341291"
  [palm_detection_lite.tflite]="2341291 4326731"
)

verified() {
  for f in "${!sha[@]}"; do
    [[ -f "$dir/$f" ]] && [[ "$(sha256sum "$dir/$f" | cut -d' ' -f1)" == "${sha[$f]}" ]] || return 1
  done
}

mkdir -p "$dir"
if verified; then
  echo "MediaPipe hand models present and verified in $dir"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@mediapipe/hands@$version" >/dev/null && tar xzf mediapipe-hands-$version.tgz)
pkg="$work/package"

for f in "${!range[@]}"; do
  read -r start end <<<"${range[$f]}"
  # the loader lists {"filename": ".../<name>", "start": S, "end": E}
  listed="$(grep -o "\"filename\": \"[^\"]*/$f\", \"start\": [0-9]*, \"end\": [0-9]*" "$pkg/hands_solution_packed_assets_loader.js" \
    | sed -E 's/.*"start": ([0-9]+), "end": ([0-9]+)/\1 \2/')"
  if [[ "$listed" != "$start $end" ]]; then
    echo "error: the loader gives $f at bytes [${listed:-nothing}), expected [$start $end); was the npm package changed?" >&2
    exit 1
  fi
  dd if="$pkg/hands_solution_packed_assets.data" of="$work/$f" iflag=skip_bytes,count_bytes skip="$start" count=$((end - start)) status=none
done
cp "$pkg/hand_landmark_full.tflite" "$pkg/hand_landmark_lite.tflite" "$work/"

for f in "${!sha[@]}"; do
  actual="$(sha256sum "$work/$f" | cut -d' ' -f1)"
  if [[ "$actual" != "${sha[$f]}" ]]; then
    echo "error: $f has sha256 $actual, expected ${sha[$f]}" >&2
    exit 1
  fi
  install -m 0644 "$work/$f" "$dir/$f"
done
echo "MediaPipe hand models fetched and verified into $dir"
