#!/usr/bin/env bash
# Benchmark of "xdm reg wow64" against the same rewrite done with
# iconv | sed | iconv, measured side by side in one run on the same generated
# UTF-16LE export (in the page cache):
#   cp                  copying the file (the floor)
#   cp+sync             a copy with the durability xdm gives its output
#   iconv|sed|iconv     UTF-16LE -> UTF-8, sed inserts Wow6432Node\ in the key
#                       lines of HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM (any case),
#                       UTF-8 -> UTF-16LE (the BOM travels as U+FEFF)
#   iconv|sed|iconv+sync  the same, then sync of the output
#   xdm                 xdm reg wow64 -q IN -o OUT (reads and checks every line,
#                       writes a temporary file, syncs it, renames it)
#   xdm --check         xdm reg wow64 --check: the reading and checking alone
# The outputs of xdm and of the sed pipeline are compared by SHA-256.
#
# Usage: bench/reg-wow64.sh [MIB [REPS]]        (default 200 3)
#   XDM_BENCH_DIR  work folder (default /tmp/xdm-bench-reg), removed at the end
#   SETTLE         seconds to wait before each timed command (default 1)
# Wall times are the minimum and median of REPS runs; RSS is the maximum.
# Needs GNU time (/usr/bin/time) and iconv (libc-bin).
set -euo pipefail
cd "$(dirname "$0")/.."

mib=${1:-200}
reps=${2:-3}
dir=${XDM_BENCH_DIR:-/tmp/xdm-bench-reg}
settle=${SETTLE:-1}

[ -x /usr/bin/time ] || { echo "reg-wow64.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v iconv >/dev/null || { echo "reg-wow64.sh: needs iconv" >&2; exit 2; }
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
results=$dir/results.txt
: >"$results"

go build -o "$dir/xdm" ./cmd/xdm
in=$dir/xpr.reg
out=$dir/out.reg

# The rewrite with sed: in the key lines ([KEY] and [-KEY]) of
# HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM, whatever their case, insert
# Wow6432Node\ before PP-COM and keep every other character.
SED='s/^(\[-?HKEY_LOCAL_MACHINE\\SOFTWARE\\)(PP-COM(\\|\]))/\1Wow6432Node\\\2/I'

# measure NAME CMD...: runs CMD under GNU time, appends "NAME<tab>wall<tab>cpu<tab>rss_kib".
measure() {
	local name=$1
	shift
	rm -f "$out"
	sync
	sleep "$settle"
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || {
		echo "$name failed:" >&2
		cat "$dir/stderr.txt" >&2
		exit 1
	}
	awk -v n="$name" '{printf "%s\t%s\t%.2f\t%s\n", n, $1, $2 + $3, $4}' "$dir/time.txt" >>"$results"
}

echo "# xdm reg wow64 benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg); $(go version | cut -d' ' -f3)"
echo "generating a $mib MiB UTF-16LE export:"
go run ./internal/testgen/reggen/cmd/genreg -f -mib "$mib" -o "$in" 2>&1 | sed 's/^/  /'
cat "$in" >/dev/null

peer_cp() { measure cp cp "$in" "$out"; }
peer_cp_sync() { measure cp+sync sh -c 'cp "$1" "$2" && sync "$2"' sh "$in" "$out"; }
peer_sed() { measure "iconv|sed|iconv" sh -c 'iconv -f UTF-16LE -t UTF-8 "$2" | LC_ALL=C sed -E "$1" | iconv -f UTF-8 -t UTF-16LE >"$3"' sh "$SED" "$in" "$out"; same_as_sed; }
peer_sed_sync() { measure "iconv|sed|iconv+sync" sh -c 'iconv -f UTF-16LE -t UTF-8 "$2" | LC_ALL=C sed -E "$1" | iconv -f UTF-8 -t UTF-16LE >"$3" && sync "$3"' sh "$SED" "$in" "$out"; }
peer_xdm() { measure xdm "$dir/xdm" reg wow64 -q "$in" -o "$out"; same_as_sed; }
# --check exits 1 when keys need moving: that is its answer, not a failure.
peer_check() { measure "xdm --check" sh -c '"$1" reg wow64 -q --check "$2"; test $? -eq 1' sh "$dir/xdm" "$in"; }
peers=(peer_cp peer_cp_sync peer_sed peer_sed_sync peer_xdm peer_check)

sed_sum=$(iconv -f UTF-16LE -t UTF-8 "$in" | LC_ALL=C sed -E "$SED" | iconv -f UTF-8 -t UTF-16LE | sha256sum)
if [ "$(sha256sum <"$in")" = "$sed_sum" ]; then
	echo "sed changed nothing: the generated file has no key to move" >&2
	exit 1
fi
same_as_sed() {
	if [ "$(sha256sum <"$out")" != "$sed_sum" ]; then
		echo "$out differs from the output of iconv|sed|iconv" >&2
		exit 1
	fi
}

for ((i = 0; i < reps; i++)); do
	for ((k = 0; k < ${#peers[@]}; k++)); do
		"${peers[(i + k) % ${#peers[@]}]}"
	done
done
echo "outputs of xdm and iconv|sed|iconv are identical"

col() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$results" | sort -n; }
median() { awk '{v[NR] = $1} END {if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo
echo "| command | runs | wall min (s) | wall median (s) | CPU user+sys median (s) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|"
declare -A med
while IFS= read -r name; do
	wmed=$(col "$name" 2 | median)
	med[$name]=$wmed
	echo "| $name | $(col "$name" 2 | wc -l) | $(col "$name" 2 | head -1) | $wmed | $(col "$name" 3 | median) | $(col "$name" 4 | tail -1 | awk '{printf "%.1f", $1 / 1024}') |"
done < <(cut -f1 "$results" | awk '!seen[$0]++')
ratio() { awk -v a="${med[$1]:-0}" -v b="${med[$2]:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
echo
echo "median wall ratios: iconv|sed|iconv / xdm = $(ratio "iconv|sed|iconv" xdm), iconv|sed|iconv+sync / xdm = $(ratio "iconv|sed|iconv+sync" xdm), xdm / cp+sync = $(ratio xdm cp+sync)"
echo
echo "every run, in the order run (name, wall s, CPU s, peak RSS KiB):"
sed 's/^/    /' "$results"
