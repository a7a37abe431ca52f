#!/usr/bin/env bash
# Benchmarks of parsers/infotool on a generated 100 MiB journal export, with
# peers over the same file in the same run: wc -l (reads every byte, counts
# LF) and awk counting header lines (a line splitter with a regex).
# Figures go to docs/benchmarks.md ("infotool parsers"). Usage: bash bench/infotool.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=/tmp/xdm-bench-infotool
file=$dir/journal-100M.txt
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT

go run ./internal/testgen/infotoolgen/cmd/genjournal -size 100M -o "$file" -f
cat "$file" >/dev/null # warm the page cache for everyone

echo "== peers"
TIMEFORMAT='%R s'
echo -n "wc -l: "; time (wc -l <"$file" >/dev/null)
echo -n "awk header count: "; time (awk '/^\[/ { n++ } END { print n > "/dev/null" }' "$file")

echo "== go test -bench"
XDM_BENCH_JOURNAL=$file go test -run '^$' -bench 'Split|Read|Walk' -benchtime 2x -count 1 ./parsers/infotool/

echo "== xdm infotool validate (whole command)"
go build -o "$dir/xdm" ./cmd/xdm
echo -n "validate: "; time ("$dir/xdm" infotool validate "$file" >/dev/null)
