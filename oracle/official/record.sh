#!/usr/bin/env bash
# Records the ground truth of the official prebuilt Wasmtime (PyPI `wasmtime`,
# which bundles the C-API library) for majors 24-50 into conformance/vNN/.
#
#   oracle/official/record.sh            # every major
#   oracle/official/record.sh 41 42      # some majors (their neighbours' load is redone too)
#
# Wheels are installed on first use into $WASMTIME_WHEELS/wNN
# (default ~/.cache/cwasm-spec/wheels). Needs python3 (3.11), pip and rustc.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/../../conformance" && pwd)
CACHE=${WASMTIME_WHEELS:-$HOME/.cache/cwasm-spec/wheels}
declare -A VERSION=(
  [24]=24.0.0 [25]=25.0.0 [27]=27.0.2 [28]=28.0.0 [29]=29.0.0 [30]=30.0.0
  [31]=31.0.0 [32]=32.0.0 [33]=33.0.0 [34]=34.0.0 [35]=35.0.0 [36]=36.0.0
  [37]=37.0.0 [38]=38.0.0 [39]=39.0.0 [40]=40.0.0 [41]=41.0.0 [42]=42.0.0
  [43]=43.0.0 [44]=44.0.0 [45]=45.0.0 [46]=46.0.1 [47]=47.0.1 [48]=48.0.0
  [49]=49.0.0 [50]=50.0.1
)
ALL=($(printf '%s\n' "${!VERSION[@]}" | sort -n))
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for m in "$@"; do
  [ -n "${VERSION[$m]:-}" ] || { echo "no Wasmtime major $m (24-50, no 26)" >&2; exit 2; }
done

wheel() {  # installs the wheel of major $1 if missing; prints its directory
  local dir="$CACHE/w$1"
  if [ ! -f "$dir/wasmtime/__init__.py" ]; then
    python3 -m pip install -q --no-deps --target "$dir" "wasmtime==${VERSION[$1]}" >&2
  fi
  echo "$dir"
}

# Loading reads the previous and next major's artifacts: redo their load too.
LOAD=()
for m in "$@"; do
  for i in "${!ALL[@]}"; do
    if [ "${ALL[$i]}" = "$m" ]; then
      [ "$i" -gt 0 ] && LOAD+=("${ALL[$((i-1))]}")
      LOAD+=("$m")
      [ "$i" -lt $((${#ALL[@]}-1)) ] && LOAD+=("${ALL[$((i+1))]}")
    fi
  done
done
LOAD=($(printf '%s\n' "${LOAD[@]}" | sort -nu))

python3 "$HERE/record.py" selftest
for m in "$@"; do
  python3 "$HERE/record.py" compile --major "$m" --wheel-dir "$(wheel "$m")" --out "$OUT"
done
for m in "${LOAD[@]}"; do
  [ -f "$OUT/v$m/official/presets.json" ] || { echo "v$m: not compiled yet; run record.sh $m" >&2; continue; }
  python3 "$HERE/record.py" load --major "$m" --wheel-dir "$(wheel "$m")" --out "$OUT" \
    > "${TMPDIR:-/tmp}/cwasm-official-v$m.json"
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("v%(major)d: %(cases)d cases, %(accepted)d accepted, %(rejected)d rejected, unmapped %(unmapped)s" % s)' \
    "${TMPDIR:-/tmp}/cwasm-official-v$m.json"
done
# Artifacts that no case of any official.json names (as artifact or witness) go.
python3 "$HERE/record.py" prune --out "$OUT"
