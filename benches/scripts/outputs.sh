#!/usr/bin/env bash
# Every output a change must leave alone, written by one binary, for `diff -r` against another's.
#
#   benches/scripts/outputs.sh BIN OUT_DIR [DATA_ROOT]
#
# For each dataset DATA_ROOT/za-{10k,100k,1m} (default DATA_ROOT /work/bench-data; a missing one
# is skipped) writes OUT_DIR/<size>/: report.csv, report.json, report.vi.md (`--format md
# --lang vi`), check.txt, check.json and the export (`--with-stats`) as sha256 sums (the 1M
# parcels file is 573 MB). Exit codes are recorded in rc.txt. `lease_ended` depends on today's
# date: compare outputs made on the same day.
#
#   benches/scripts/outputs.sh /tmp/za-before /tmp/out-before
#   benches/scripts/outputs.sh target/release/zoneatlas /tmp/out-after
#   diff -r /tmp/out-before /tmp/out-after && echo identical
set -euo pipefail

[[ $# -ge 2 ]] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
BIN=$(realpath "$1")
OUT=$2
ROOT=${3:-/work/bench-data}

for size in 10k 100k 1m; do
  D="$ROOT/za-$size"
  [[ -f "$D/zones.geojson" && -f "$D/parcels.geojson" ]] || { echo "skip za-$size (no data)"; continue; }
  O="$OUT/$size"
  rm -rf "$O"; mkdir -p "$O"
  Z="$D/zones.geojson"; P="$D/parcels.geojson"
  {
    "$BIN" report "$Z" "$P" --output "$O/report.csv"; echo "report csv $?"
    "$BIN" report "$Z" "$P" --format json --output "$O/report.json"; echo "report json $?"
    "$BIN" report "$Z" "$P" --format md --lang vi --output "$O/report.vi.md"; echo "report md $?"
    set +e
    "$BIN" check "$Z" "$P" > "$O/check.txt"; echo "check text $?"
    "$BIN" check "$Z" "$P" --format json > "$O/check.json"; echo "check json $?"
    set -e
    tmp=$(mktemp -d "$OUT/.export.XXXXXX")
    "$BIN" export "$Z" "$P" --out-dir "$tmp" --with-stats > /dev/null; echo "export $?"
    (cd "$tmp" && sha256sum zones.geojson parcels.geojson) > "$O/export.sha256"
    rm -rf "$tmp"
  } > "$O/rc.txt"
  echo "za-$size: done ($O)"
done
