#!/usr/bin/env bash
# (Re)generate the benchmark datasets and the geopandas peer venv.
#
#   benches/scripts/make_data.sh [DIR]        (default DIR: /work/bench-data)
#
# Writes DIR/za-10k (50 zones / 10k parcels), DIR/za-100k (200 / 100k) and DIR/za-1m
# (500 / 1M, ~573 MB parcels file), all with --seed 1, and DIR/peer-venv (geopandas, pyogrio,
# pyproj from PyPI) if it is missing or broken.
#
# A dataset whose files already match the sha256 recorded in its truth.json is kept; set
# FORCE=1 to regenerate anyway. SIZES="10k 100k" limits which sizes are made.
# BENCH_SHARED (default /work/shared/bench) is where gen_zones.py and reference/ live.
# Never put the data inside the repository: the 1M dataset must not be committed.
set -euo pipefail

DIR=${1:-/work/bench-data}
SHARED=${BENCH_SHARED:-/work/shared/bench}
SIZES=${SIZES:-"10k 100k 1m"}
FORCE=${FORCE:-0}
GEN="$SHARED/gen_zones.py"
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

die() { echo "make_data.sh: error: $*" >&2; exit 1; }

[[ -f "$GEN" ]] || die "generator not found: $GEN (set BENCH_SHARED)"
command -v python3 >/dev/null || die "python3 not found"

DIR=$(realpath -m "$DIR")   # absolute, symlinks resolved, need not exist yet
case "$DIR/" in
  "$REPO"/*) die "refusing to write datasets inside the repository ($DIR); use a directory outside $REPO" ;;
esac
mkdir -p "$DIR"

# verify DIR/NAME: files present and matching truth.json's sha256 (stdlib only)
verify() {
  python3 - "$1" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
try:
    files = json.load(open(os.path.join(d, "truth.json")))["files"]
    for name, meta in files.items():
        p = os.path.join(d, name)
        if os.path.getsize(p) != meta["bytes"]:
            sys.exit(1)
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
        if h.hexdigest() != meta["sha256"]:
            sys.exit(1)
except (OSError, ValueError, KeyError):
    sys.exit(1)
PY
}

for size in $SIZES; do
  case $size in
    10k)  zones=50;  parcels=10000 ;;
    100k) zones=200; parcels=100000 ;;
    1m)   zones=500; parcels=1000000 ;;
    *) die "unknown size '$size' (expected 10k, 100k, 1m)" ;;
  esac
  out="$DIR/za-$size"
  if [[ "$FORCE" != 1 ]] && verify "$out"; then
    echo "za-$size: up to date ($out)"
  else
    echo "za-$size: generating $zones zones / $parcels parcels (seed 1) ..."
    tmp="$DIR/.za-$size.tmp.$$"
    rm -rf "$tmp"
    nice -n 19 python3 "$GEN" --zones "$zones" --parcels "$parcels" --seed 1 --out "$tmp" >/dev/null
    verify "$tmp" || die "za-$size: generated files do not match their own truth.json"
    rm -rf "$out"
    mv "$tmp" "$out"
    echo "za-$size: done ($out)"
  fi
  ref="$SHARED/reference/truth_$size.json"
  if [[ -f "$ref" ]]; then
    if cmp -s "$out/truth.json" "$ref"; then
      echo "za-$size: truth.json identical to $ref"
    else
      echo "za-$size: WARNING: truth.json differs from $ref (different Python/platform?)" >&2
    fi
  fi
done

VENV="$DIR/peer-venv"
if "$VENV/bin/python" -c 'import geopandas, pyogrio, pyproj, shapely' 2>/dev/null; then
  echo "peer-venv: present ($VENV)"
else
  echo "peer-venv: installing geopandas pyogrio pyproj into $VENV ..."
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  nice -n 19 "$VENV/bin/pip" install --quiet geopandas pyogrio pyproj
  "$VENV/bin/python" -c 'import geopandas, pyogrio, pyproj, shapely' \
    || die "peer-venv: import check failed after install"
  echo "peer-venv: done"
fi
"$VENV/bin/python" -c 'import sys, geopandas, pyogrio, pyproj, shapely, pandas, numpy
print("peer-venv: python", sys.version.split()[0], "geopandas", geopandas.__version__,
      "pyogrio", pyogrio.__version__, "pyproj", pyproj.__version__, "shapely", shapely.__version__,
      "GEOS", shapely.geos_version_string, "pandas", pandas.__version__, "numpy", numpy.__version__)'
