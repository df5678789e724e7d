#!/usr/bin/env bash
# Two builds of zoneatlas side by side on one dataset: `report`, `check` and `export`, runs
# alternating old / new, each whole process timed with GNU time.
#
#   benches/scripts/builds.sh OLD_BIN NEW_BIN DATA_DIR [N]
#
# Prints, per command, the medians of wall seconds, user+system CPU seconds and peak RSS (MiB)
# of each build, and the ratio new / old (< 1 means the new build is faster or smaller).
# Outputs go to a temporary directory and are thrown away; compare them with outputs.sh.
#
#   benches/scripts/builds.sh /work/bin/zoneatlas-before target/release/zoneatlas /work/bench-data/za-1m 5
set -euo pipefail

[[ $# -ge 3 ]] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
OLD=$(realpath "$1"); NEW=$(realpath "$2"); DATA=$(realpath "$3"); N=${4:-3}
Z=$DATA/zones.geojson; P=$DATA/parcels.geojson
[[ -f $Z && -f $P ]] || { echo "builds.sh: no zones.geojson/parcels.geojson in $DATA" >&2; exit 2; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

run() { # BIN COMMAND -> "wall cpu peak_kib"
  local bin=$1 cmd=$2 t
  case $cmd in
    report) set -- "$bin" report "$Z" "$P" --output "$TMP/r.csv" ;;
    check) set -- "$bin" check "$Z" "$P" ;;
    export) set -- "$bin" export "$Z" "$P" --out-dir "$TMP/x" ;;
  esac
  # GNU time's line is the last on stderr (after "Command exited with non-zero status 1" when
  # `check` finds something).
  /usr/bin/time -f '%e %U %S %M' "$@" > /dev/null 2> "$TMP/err" || true
  t=$(tail -1 "$TMP/err")
  awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' <<< "$t"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

printf '%-8s %26s %26s %20s\n' command "old: wall / cpu / MiB" "new: wall / cpu / MiB" "new/old wall, MiB"
for cmd in report check export; do
  : > "$TMP/old"; : > "$TMP/new"
  for ((i = 0; i < N; i++)); do
    run "$OLD" "$cmd" >> "$TMP/old"
    run "$NEW" "$cmd" >> "$TMP/new"
  done
  read -r ow oc om < <(for c in 1 2 3; do cut -d' ' -f$c "$TMP/old" | median; done | xargs)
  read -r nw nc nm < <(for c in 1 2 3; do cut -d' ' -f$c "$TMP/new" | median; done | xargs)
  awk -v c="$cmd" -v ow="$ow" -v oc="$oc" -v om="$om" -v nw="$nw" -v nc="$nc" -v nm="$nm" 'BEGIN {
    printf "%-8s %9.2f s / %5.2f s / %6.1f %9.2f s / %5.2f s / %6.1f %9.2f   %5.2f\n",
      c, ow, oc, om / 1024, nw, nc, nm / 1024, nw / ow, nm / om }'
done
