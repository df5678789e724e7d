#!/usr/bin/env bash
# Time-to-ready of the desktop app, side by side with `zoneatlas report` on the same files.
#
#   benches/scripts/app_ready.sh DATA_DIR N BIN [BIN...]
#
#   DATA_DIR  a dataset (zones.geojson, parcels.geojson), e.g. /work/bench-data/za-1m
#   N         rounds; each round runs, for every BIN in turn: the app, then `report`
#   BIN       zoneatlas binaries to compare (e.g. /work/bin/zoneatlas-before and the new one)
#
# The app is "ready" when the window's title names the parcels file: the app sets its title at
# the end of the frame that first draws the loaded data, in every version, so this works for
# binaries that do not print their own timings. The title is polled with xdotool every 10 ms
# from the moment the process is started. The app's own line (`ZONEATLAS_TIMINGS=1`: "ready:
# Z zones, P parcels in X.XX s", from the start of main) is shown when the binary prints one.
# After ready the app is left SETTLE seconds (default 8: background work such as the parcel
# R-tree and the findings runs then) and stopped; its peak RSS (GNU time %M) covers all of it.
#
# Needs an X display (DISPLAY; e.g. `Xvfb :57 -screen 0 1600x1000x24 -nolisten tcp &`),
# xdotool and GNU time. Prints one line per run and the medians per binary.
set -euo pipefail

die() { echo "app_ready.sh: error: $*" >&2; exit 1; }
[[ $# -ge 3 ]] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
DATA=$1; N=$2; shift 2
SETTLE=${SETTLE:-8}
[[ -n ${DISPLAY:-} ]] || die "no DISPLAY (start Xvfb)"
command -v xdotool >/dev/null || die "xdotool not found"
Z=$DATA/zones.geojson; P=$DATA/parcels.geojson
[[ -f $Z && -f $P ]] || die "no zones.geojson / parcels.geojson in $DATA"

WORK=$(mktemp -d /tmp/za-ready.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export ZONEATLAS_RECOVERY_DIR=$WORK/recovery
cat "$Z" "$P" >/dev/null   # warm the page cache
RESULTS=$WORK/results.tsv

now() { date +%s.%N; }

app_run() {
  local bin=$1 tag=$2
  local t0 ready="" id="" rss line
  # Each run on a fresh settings folder: nothing remembered from the last.
  export XDG_DATA_HOME=$WORK/data-$tag
  t0=$(now)
  ZONEATLAS_TIMINGS=1 /usr/bin/time -o "$WORK/time" -f '%M' "$bin" "$Z" "$P" \
    >"$WORK/out" 2>"$WORK/err" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if xdotool search --name 'parcels\.geojson' >/dev/null 2>&1; then
      ready=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
      break
    fi
    sleep 0.01
  done
  [[ -n $ready ]] || { tail -5 "$WORK/err" >&2; die "$bin exited before it was ready"; }
  sleep "$SETTLE"
  # The app is the child of GNU time.
  pkill -TERM -P "$pid" || true
  wait "$pid" 2>/dev/null || true
  rss=$(awk '/^[0-9]+$/ { k = $1 } END { printf "%.1f", k / 1024 }' "$WORK/time")
  line=$(grep -o 'ready: .*' "$WORK/err" | head -1 || true)
  printf '%s\tapp\t%s\t%s\n' "$bin" "$ready" "$rss" >>"$RESULTS"
  printf '  %-40s app     ready %6s s  peak %8s MiB  %s\n' "$bin" "$ready" "$rss" "${line:+(its own line: $line)}"
}

report_run() {
  local bin=$1 wall rss
  /usr/bin/time -o "$WORK/time" -f '%e %M' "$bin" report "$Z" "$P" --output "$WORK/r.csv" \
    >/dev/null 2>"$WORK/err" || { tail -5 "$WORK/err" >&2; die "$bin report failed"; }
  read -r wall rss < <(tail -1 "$WORK/time")
  rss=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
  printf '%s\treport\t%s\t%s\n' "$bin" "$wall" "$rss" >>"$RESULTS"
  printf '  %-40s report  wall  %6s s  peak %8s MiB\n' "$bin" "$wall" "$rss"
}

echo "data: $DATA; $N rounds; load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
for ((i = 1; i <= N; i++)); do
  k=0
  for bin in "$@"; do
    k=$((k + 1))
    app_run "$bin" "$k"
    report_run "$bin"
  done
done

python3 - "$RESULTS" "$@" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print()
print("medians                                   app ready  report   ratio   app peak  report peak")
for b in sys.argv[2:]:
    def med(kind, col):
        return statistics.median(float(r[col]) for r in rows if r[0] == b and r[1] == kind)
    ready, report = med("app", 2), med("report", 2)
    print(f"  {b:<40} {ready:7.2f} s {report:6.2f} s {ready / report:6.2f}x {med('app', 3):7.0f} MiB {med('report', 3):7.0f} MiB")
PY
