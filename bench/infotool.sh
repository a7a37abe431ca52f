#!/usr/bin/env bash
# Benchmarks of parsers/infotool on a generated 100 MiB journal export, with
# peers over the same file in the same run: wc -l (reads every byte, counts
# LF) and awk counting header lines (a line splitter with a regex); then the
# whole commands, "xdm infotool validate" against "xdm journal fix --validate"
# (the same tree-less grammar check), on one and on two workers.
# Figures go to docs/benchmarks.md ("infotool parsers").
#
# Usage: bash bench/infotool.sh [REPS]          (default 3)
#   XDM  an xdm binary to time instead of building ./cmd/xdm (to compare builds)
# Needs GNU time (/usr/bin/time) for the CPU times of the whole commands.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}
dir=/tmp/xdm-bench-infotool
file=$dir/journal-100M.txt
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT

echo "# infotool benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
go run ./internal/testgen/infotoolgen/cmd/genjournal -size 100M -o "$file" -f
cat "$file" >/dev/null # warm the page cache for everyone

echo "== peers"
TIMEFORMAT='%R s'
echo -n "wc -l: "; time (wc -l <"$file" >/dev/null)
echo -n "awk header count: "; time (awk '/^\[/ { n++ } END { print n > "/dev/null" }' "$file")

echo "== go test -bench"
XDM_BENCH_JOURNAL=$file go test -run '^$' -bench 'Split|Read|Walk' -benchtime 2x -count 1 ./parsers/infotool/

echo "== whole commands (wall and user+sys CPU in s, min and median of $reps)"
xdm=${XDM:-}
if [ -z "$xdm" ]; then
	xdm=$dir/xdm
	go build -o "$xdm" ./cmd/xdm
fi
# run NAME CMD...: REPS runs under GNU time; prints the name, wall and CPU.
run() {
	local name=$1
	shift
	for ((i = 0; i < reps; i++)); do
		/usr/bin/time -f "%e %U %S" -o "$dir/t.txt" "$@" >/dev/null
		awk '{printf "%s %.2f\n", $1, $2 + $3}' "$dir/t.txt" >>"$dir/runs.txt"
	done
	sort -n "$dir/runs.txt" | awk -v n="$name" '{w[NR] = $1} END {printf "%-40s wall min %.2f median %.2f", n, w[1], w[int((NR + 1) / 2)]}'
	sort -k2 -n "$dir/runs.txt" | awk '{c[NR] = $2} END {printf "  CPU median %.2f\n", c[int((NR + 1) / 2)]}'
	rm -f "$dir/runs.txt"
}
for w in 1 2; do
	run "infotool validate --workers $w" "$xdm" infotool validate --workers "$w" "$file"
	run "journal fix --validate --dry-run --workers $w" "$xdm" journal fix -q --dry-run --validate --workers "$w" "$file"
done
