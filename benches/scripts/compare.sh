#!/usr/bin/env bash
# Side-by-side benchmark: the geopandas peer vs `zoneatlas report`, on one dataset.
#
#   benches/scripts/compare.sh DATA_DIR [ZONEATLAS_BIN] [N]
#
#   DATA_DIR       dataset from make_data.sh / gen_zones.py (zones.geojson, parcels.geojson)
#   ZONEATLAS_BIN  default: ${CARGO_TARGET_DIR:-<repo>/target}/release/zoneatlas
#   N              runs of each tool, alternating peer / zoneatlas (default 3)
#
# Environment:
#   PEER_VENV   geopandas venv (default: DATA_DIR/../peer-venv, else /work/bench-data/peer-venv)
#   PEER_SCRIPT default /work/shared/bench/peer_geopandas.py
#   ZA_OUT      zoneatlas CSV output (default /tmp/za.csv)
#   NICE        prefix applied to BOTH tools (default "nice -n 19"; NICE= to disable)
#
# Each run is measured with GNU time (`/usr/bin/time -f '%e %M'`: elapsed wall seconds and
# maximum resident set size) around the whole process, so the peer's figure includes the
# Python/geopandas imports and its union (dedup) pass. The peer's own "TIMING total" line
# (load + overlay + areas, no imports, no union pass) is reported alongside for reference.
# Prints medians and the ratio peer / zoneatlas (> 1 means zoneatlas is faster / smaller).
set -euo pipefail

die() { echo "compare.sh: error: $*" >&2; exit 1; }
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

[[ $# -ge 1 ]] || usage 2
[[ $1 == -h || $1 == --help ]] && usage 0

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
DATA=$1
BIN=${2:-${CARGO_TARGET_DIR:-$REPO/target}/release/zoneatlas}
N=${3:-3}
PEER_SCRIPT=${PEER_SCRIPT:-/work/shared/bench/peer_geopandas.py}
ZA_OUT=${ZA_OUT:-/tmp/za.csv}
NICE=${NICE-nice -n 19}
TIME=/usr/bin/time

[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$N'"
[[ -d $DATA ]] || die "dataset directory not found: $DATA"
DATA=$(cd "$DATA" && pwd -P)
for f in zones.geojson parcels.geojson; do
  [[ -f $DATA/$f ]] || die "missing $DATA/$f (generate it with benches/scripts/make_data.sh)"
done
if [[ ! -e $BIN ]]; then
  die "zoneatlas binary not found: $BIN
  build it first (cargo build --release) or pass its path as the second argument"
fi
[[ -x $BIN ]] || die "zoneatlas binary is not executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd -P)/$(basename "$BIN")

if [[ -z ${PEER_VENV:-} ]]; then
  if [[ -x $DATA/../peer-venv/bin/python ]]; then PEER_VENV=$DATA/../peer-venv
  else PEER_VENV=/work/bench-data/peer-venv; fi
fi
[[ -d $PEER_VENV ]] && PEER_VENV=$(cd "$PEER_VENV" && pwd -P)
PY=$PEER_VENV/bin/python
[[ -x $PY ]] || die "peer venv not found: $PEER_VENV (run benches/scripts/make_data.sh, or set PEER_VENV)"
[[ -f $PEER_SCRIPT ]] || die "peer script not found: $PEER_SCRIPT (set PEER_SCRIPT)"
[[ -x $TIME ]] && $TIME -f '%e' true 2>/dev/null \
  || die "GNU time not found at $TIME (apt-get install time)"
command -v python3 >/dev/null || die "python3 not found"

WORK=$(mktemp -d /tmp/za-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RESULTS=$WORK/results.tsv   # tool  wall_s  maxrss_kb  [peer TIMING total]

# run TOOL CMD... : one measured run; aborts with the tool's stderr if it fails
run() {
  local tool=$1; shift
  local tf=$WORK/time.$tool err=$WORK/stderr.$tool
  if ! $TIME -o "$tf" -f '%e %M' $NICE "$@" >"$WORK/stdout.$tool" 2>"$err"; then
    echo "compare.sh: $tool failed: $*" >&2
    tail -n 20 "$err" >&2
    tail -n 2 "$tf" >&2 2>/dev/null || true
    exit 1
  fi
  local wall rss extra=""
  read -r wall rss < <(tail -n 1 "$tf")
  if [[ $tool == peer ]]; then
    extra=$(awk '$1 == "TIMING" && $2 == "total" { print $3 }' "$err")
  fi
  printf '%s\t%s\t%s\t%s\n' "$tool" "$wall" "$rss" "$extra" >>"$RESULTS"
  printf '  %-9s run %d/%d: %7.2f s  %8.1f MiB%s\n' "$tool" "$i" "$N" "$wall" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "${extra:+   (peer TIMING total $extra s)}"
}

echo "dataset   : $DATA ($(du -sh "$DATA/parcels.geojson" | cut -f1) parcels.geojson)"
echo "zoneatlas : $BIN"
echo "peer      : $PY $PEER_SCRIPT"
echo "runs      : $N each, alternating; prefix: ${NICE:-(none)}"
read -r load1 _ < /proc/loadavg
echo "load avg  : $load1 (cores: $(nproc))"
awk -v l="$load1" 'BEGIN { exit !(l > 0.5) }' \
  && echo "WARNING   : machine is busy (load $load1); timings will be inflated. Quote ratios, not absolutes." >&2

# warm the page cache so the first run is not charged for disk reads
cat "$DATA/zones.geojson" "$DATA/parcels.geojson" >/dev/null

# a run only counts if it wrote its CSV (guards against a stub binary that exits 0 at once)
need_output() {
  [[ -s $2 ]] || die "$1 exited 0 but wrote no output to $2; its timing would be meaningless"
}

for ((i = 1; i <= N; i++)); do
  rm -f "$DATA/peer.csv"
  run peer "$PY" "$PEER_SCRIPT" "$DATA" --detail "$DATA/peer.csv" --quiet
  need_output peer "$DATA/peer.csv"
  rm -f "$ZA_OUT"
  run zoneatlas "$BIN" report "$DATA/zones.geojson" "$DATA/parcels.geojson" --format csv --output "$ZA_OUT"
  need_output zoneatlas "$ZA_OUT"
done

python3 - "$RESULTS" "$N" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
wall = {t: statistics.median(float(r[1]) for r in rows if r[0] == t) for t in ("peer", "zoneatlas")}
rss = {t: statistics.median(int(r[2]) / 1024 for r in rows if r[0] == t) for t in ("peer", "zoneatlas")}
inner = [float(r[3]) for r in rows if r[0] == "peer" and r[3]]
def ratio(a, b):
    return f"{a / b:8.2f}x" if b > 0 else "     n/a"
print()
print(f"median of {n}          wall (s)   peak RSS (MiB)")
print(f"  peer (geopandas)  {wall['peer']:9.2f}   {rss['peer']:14.1f}")
print(f"  zoneatlas         {wall['zoneatlas']:9.2f}   {rss['zoneatlas']:14.1f}")
print(f"  ratio peer/za     {ratio(wall['peer'], wall['zoneatlas'])}   {ratio(rss['peer'], rss['zoneatlas'])}")
if inner:
    print(f"  (peer TIMING total, no imports/union pass: median {statistics.median(inner):.2f} s;"
          f" ratio to zoneatlas {ratio(statistics.median(inner), wall['zoneatlas']).strip()})")
PY
echo
echo "outputs: peer -> $DATA/peer.csv, zoneatlas -> $ZA_OUT"
