#!/usr/bin/env bash
# Benchmark of "xdm journal fix" against its peers, measured side by side in
# one run on the same generated CRLF journal (in the page cache):
#   cp            copying the file (in the kernel: copy_file_range, no user-space copy)
#   dd            copying it through user space (read + write of 1 MiB blocks: the floor for a tool
#                 that looks at the bytes; GNU cat, like cp, copies in the kernel)
#   cp+sync       cp, then fsync of the copy (xdm syncs its output before the rename)
#   sed -E        the same CONTENTTYPE substitution, JOURNAL records only
#   xdm           xdm journal fix -o OUT (default workers), and with --workers 1
#   xdm validate  xdm journal fix --validate --dry-run, 1 and 2 workers
# then the same peers on a journal of short header records (HEADERS_SIZE, the
# shape of a real export: nine lines of about 17 bytes per record, no BODY),
# where the per-line cost shows, and the peak RSS of xdm journal fix on a
# larger journal (RSS_SIZE) to show memory does not grow with the input.
#
# Usage: bench/journal-fix.sh [SIZE [REPS]]        (default 1G 3)
#   XDM_BENCH_DIR  work folder (default /tmp/xdm-bench-journal), removed at the end
#   RSS_SIZE       size of the memory-only run (default 4G; empty: skip)
#   VALIDATE_SIZE  size of the --validate run (default: SIZE; empty: skip)
#   HEADERS_SIZE   size of the header-only journal (default 340M; empty: skip)
#   XDM            an xdm binary to time instead of building ./cmd/xdm
#   XDM_BEFORE     a second xdm binary (an earlier build), timed as "xdm (before)" in the same rounds
#   SETTLE         seconds to wait before each timed command (default 1)
#   KEEP_REPORTING 1: leave the kernel's free page reporting as it is (see below)
# Wall times are the minimum and median of REPS runs; RSS is the maximum.
# Needs GNU time (/usr/bin/time, Debian package "time", see scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:-1G}
reps=${2:-3}
dir=${XDM_BENCH_DIR:-/tmp/xdm-bench-journal}
rss_size=${RSS_SIZE-4G}
validate_size=${VALIDATE_SIZE-$size}
headers_size=${HEADERS_SIZE-340M}
settle=${SETTLE:-1}

[ -x /usr/bin/time ] || { echo "journal-fix.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
results=$dir/results.txt
: >"$results"

if [ -n "${XDM:-}" ]; then
	cp "$XDM" "$dir/xdm"
else
	go build -o "$dir/xdm" ./cmd/xdm
fi
if [ -n "${XDM_BEFORE:-}" ]; then
	cp "$XDM_BEFORE" "$dir/xdm-before"
fi
# gen SIZE FILE [genjournal flags]
gen() { go run ./internal/testgen/infotoolgen/cmd/genjournal -f -size "$1" -o "$2" "${@:3}" 2>&1 | sed 's/^/  /'; }

# The same substitution as xdm journal fix, with sed: the hold space keeps the
# last header, CONTENTTYPE lines are rewritten only below a [JOURNAL] header.
SED='/^\[/h
/^[Cc][Oo][Nn][Tt][Ee][Nn][Tt][Tt][Yy][Pp][Ee]=/{
x
/^\[[Jj][Oo][Uu][Rr][Nn][Aa][Ll][]:]/{
x
s/^([^=]*=[ \t]*)0*(4352|5[0-9][0-9])([ \t]*\r?)$/\11092\3/
b
}
x
}'

# A virtual machine may hand memory that is freed back to its host (free page
# reporting; the Firecracker machines these figures come from do, once a page
# has been free for min_free_ms). Every gigabyte written after the previous
# output's gigabyte was deleted then lands in pages the host must fault in
# again: that added 0.5 to 1 s to any command here (cp of 1 GB took 0.74 to
# 1.94 s instead of 0.2 s), more than the commands' own differences, and at
# random, as the hand-back runs in the background. Where the setting exists
# and may be changed, the script keeps freed pages in the machine for a minute
# during the run, as a machine without reporting does, and restores it after.
reporting=/sys/module/page_reporting/parameters/min_free_ms
if [ -z "${KEEP_REPORTING:-}" ] && [ -w "$reporting" ]; then
	old_min_free=$(cat "$reporting")
	if [ "$old_min_free" = 60000 ]; then
		echo "free page reporting: min_free_ms is already 60000 (another run, or one that was killed?); it stays so" >&2
	else
		trap 'echo "$old_min_free" >"$reporting" || true; rm -rf "$dir"' EXIT
		echo 60000 >"$reporting"
		echo "free page reporting: min_free_ms $old_min_free -> 60000 for the run"
	fi
fi

# measure NAME CMD...: runs CMD under GNU time, appends "NAME<tab>wall<tab>cpu<tab>rss_kib".
# The previous output is deleted and everything still unwritten is synced
# first (untimed), so no command pays for the write-back of another's data
# (an fsync on ext4 may have to wait for it); then the untimed function
# named by PRE, if any, runs. The deletion frees the gigabyte the next command
# writes into (see above). No copy of an output is kept: outputs are
# compared by hash.
measure() {
	local name=$1
	shift
	rm -f "$out"
	sync
	sleep "$settle"
	if [ -n "${PRE:-}" ]; then "$PRE"; fi
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || {
		echo "$name failed:" >&2
		cat "$dir/stderr.txt" >&2
		exit 1
	}
	awk -v n="$name" '{printf "%s\t%s\t%.2f\t%s\n", n, $1, $2 + $3, $4}' "$dir/time.txt" >>"$results"
}

echo "# xdm journal fix benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg); $(go version | cut -d' ' -f3)"
echo "generating a $size CRLF journal:"
gen "$size" "$dir/journal.txt"
in=$dir/journal.txt
cat "$in" >/dev/null

# The peers, one function each, each writing to $out; every repetition
# starts one further down the list, so that no command always follows the
# same one. Names end in $sfx, which tells the inputs apart.
out=$dir/out.txt
peer_cp() { measure "cp$sfx" cp "$in" "$out"; }
peer_dd() { measure "dd$sfx" dd if="$in" of="$out" bs=1M status=none; }
peer_cp_sync() { measure "cp+sync$sfx" sh -c 'cp "$1" "$2" && sync "$2"' sh "$in" "$out"; }
# The sync alone: the durability xdm must give its output, what it costs on
# this disk with nothing else to do.
copy_input() { cp "$in" "$out"; }
peer_sync() { PRE=copy_input measure "sync (of cp's copy)$sfx" sync "$out"; }
peer_sed() { measure "sed -E$sfx" sh -c 'LC_ALL=C sed -E "$1" "$2" >"$3"' sh "$SED" "$in" "$out"; same_as_sed; }
# xdm syncs its output before the rename; this is sed with the same durability.
peer_sed_sync() { measure "sed -E+sync$sfx" sh -c 'LC_ALL=C sed -E "$1" "$2" >"$3" && sync "$3"' sh "$SED" "$in" "$out"; }
peer_xdm() { measure "xdm$sfx" "$dir/xdm" journal fix -q "$in" -o "$out"; same_as_sed; }
peer_xdm1() { measure "xdm --workers 1$sfx" "$dir/xdm" journal fix -q --workers 1 "$in" -o "$out"; same_as_sed; }
peers=(peer_cp peer_dd peer_cp_sync peer_sync peer_sed peer_sed_sync peer_xdm peer_xdm1)
if [ -n "${XDM_BEFORE:-}" ]; then
	peer_before() { measure "xdm (before)$sfx" "$dir/xdm-before" journal fix -q "$in" -o "$out"; same_as_sed; }
	peer_before1() { measure "xdm --workers 1 (before)$sfx" "$dir/xdm-before" journal fix -q --workers 1 "$in" -o "$out"; same_as_sed; }
	peers+=(peer_before peer_before1)
fi

same_as_sed() {
	if [ "$(sha256sum <"$out")" != "$sed_sum" ]; then
		echo "$out differs from sed's output" >&2
		exit 1
	fi
}

# run_peers: REPS rotated rounds of every peer on $in. With XDM_BEFORE the
# two builds swap places every other round, so that neither always follows
# the same command (the one after sed -E+sync pays for reclaiming its pages).
run_peers() {
	sed_sum=$(LC_ALL=C sed -E "$SED" "$in" | sha256sum)
	for ((i = 0; i < reps; i++)); do
		local round=("${peers[@]}")
		if [ -n "${XDM_BEFORE:-}" ] && ((i % 2 == 1)); then
			round=("${round[@]/#peer_xdm/peer_TMP}")
			round=("${round[@]/#peer_before/peer_xdm}")
			round=("${round[@]/#peer_TMP/peer_before}")
		fi
		for ((k = 0; k < ${#round[@]}; k++)); do
			"${round[(i + k) % ${#round[@]}]}"
		done
	done
	echo "outputs of xdm and sed -E are identical$sfx"
}
sfx=""
run_peers

if [ -n "$validate_size" ]; then
	echo "generating a $validate_size journal for --validate:"
	gen "$validate_size" "$dir/validate.txt"
	cat "$dir/validate.txt" >/dev/null
	for ((i = 1; i <= reps; i++)); do
		measure "xdm --validate --workers 1" "$dir/xdm" journal fix -q --dry-run --validate --workers 1 "$dir/validate.txt"
		measure "xdm --validate --workers 2" "$dir/xdm" journal fix -q --dry-run --validate --workers 2 "$dir/validate.txt"
		if [ -n "${XDM_BEFORE:-}" ]; then
			measure "xdm --validate --workers 1 (before)" "$dir/xdm-before" journal fix -q --dry-run --validate --workers 1 "$dir/validate.txt"
			measure "xdm --validate --workers 2 (before)" "$dir/xdm-before" journal fix -q --dry-run --validate --workers 2 "$dir/validate.txt"
		fi
	done
	rm -f "$dir/validate.txt"
fi

if [ -n "$headers_size" ]; then
	echo "generating a $headers_size journal of header records:"
	gen "$headers_size" "$dir/headers.txt" -headers
	in=$dir/headers.txt
	cat "$in" >/dev/null
	sfx=" [headers]"
	run_peers
	rm -f "$in"
fi

if [ -n "$rss_size" ]; then
	rm -f "$dir/journal.txt"
	echo "generating a $rss_size journal for the memory run:"
	gen "$rss_size" "$dir/big.txt"
	measure "xdm ($rss_size)" "$dir/xdm" journal fix -q "$dir/big.txt" -o "$dir/out.txt"
	rm -f "$dir/big.txt" "$out"
fi

# col NAME N: column N of NAME's runs, sorted numerically.
col() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$results" | sort -n; }
median() { awk '{v[NR] = $1} END {if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# summary NAME: "runs wall_min wall_median cpu_median rss_max_mib" of NAME's runs.
summary() {
	echo "$(col "$1" 2 | wc -l) $(col "$1" 2 | head -1) $(col "$1" 2 | median) $(col "$1" 3 | median) $(col "$1" 4 | tail -1 | awk '{printf "%.1f", $1 / 1024}')"
}

echo
echo "| command | runs | wall min (s) | wall median (s) | CPU user+sys median (s) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|"
declare -A med
while IFS= read -r name; do
	read -r runs wmin wmed cmed rss <<<"$(summary "$name")"
	med[$name]=$wmed
	echo "| $name | $runs | $wmin | $wmed | $cmed | $rss |"
done < <(cut -f1 "$results" | awk '!seen[$0]++')
ratio() { awk -v a="${med[$1]:-0}" -v b="${med[$2]:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
echo
echo "median wall ratios: xdm / cp = $(ratio xdm cp), xdm / dd = $(ratio xdm dd), xdm / cp+sync = $(ratio xdm cp+sync), sed -E / xdm = $(ratio "sed -E" xdm), sed -E+sync / xdm = $(ratio "sed -E+sync" xdm), sync alone / cp = $(ratio "sync (of cp's copy)" cp)"
if [ -n "${med[xdm [headers]]:-}" ]; then
	echo "header-only journal: xdm / cp+sync = $(ratio "xdm [headers]" "cp+sync [headers]"), xdm / cp = $(ratio "xdm [headers]" "cp [headers]"), sed -E / xdm = $(ratio "sed -E [headers]" "xdm [headers]")"
	if [ -n "${XDM_BEFORE:-}" ]; then
		echo "header-only journal, before: xdm (before) / cp+sync = $(ratio "xdm (before) [headers]" "cp+sync [headers]")"
	fi
fi
if [ -n "${med[xdm --validate --workers 2]:-}" ]; then
	echo "--validate: 1 worker / 2 workers = $(ratio "xdm --validate --workers 1" "xdm --validate --workers 2")"
fi
echo
echo "every run, in the order run (name, wall s, CPU s, peak RSS KiB):"
sed 's/^/    /' "$results"
