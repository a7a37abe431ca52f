#!/usr/bin/env bash
# Benchmark of "xdm backup fix" on a generated XPR Smart Backup TAR, side by
# side in one run with its peers:
#   cp+sync          a durable copy of the archive (the goal: xdm within 1.3 x)
#   cp               the copy alone (in the kernel, copy_file_range)
#   extract/fix/tar  what an administrator does without xdm: tar -xf, xdm
#                    journal fix and xdm ucc lowercase --dump on the extracted
#                    files, xdm reg wow64 on the satellite's .reg, tar -cf,
#                    sync
#   xdm fix          xdm backup fix BACKUP.tar -o OUT.tar --ucc --journal
#                    --satellites wow64 (every CPU)
#   xdm fix -w1      the same with --workers 1
#   xdm inspect      xdm backup inspect BACKUP.tar (reads the two engines'
#                    members, seeks over the rest)
# The archive (GNU tar, --format=gnu): SIZE_STORE of message-store files of
# 64 KiB to 8 MiB, a SIZE_FULL fullexp.exp (genjournal -full), a SIZE_DUMP
# dump.sql (gendump), a satellite .reg in UTF-16LE, NCO XML and settings.
# Every xdm output is checked: tar -tvf succeeds, and the three changed
# members equal the peer's fixed files (SHA-256).
#
# Usage: bench/backup.sh [REPS]      (default 3)
#   XDM_BENCH_DIR  work folder (default /tmp/xdm-bench-backup), removed at the end
#   SIZE_STORE, SIZE_FULL, SIZE_DUMP  in MiB (default 3400, 500, 200: about 4 GiB)
#   SETTLE         seconds to wait before each timed command (default 1)
#   PEERS          the commands to run, by function name (default: all of
#                  peer_cp peer_cp_sync peer_retar peer_xdm peer_xdm1 peer_inspect)
# Wall times are the minimum and median of REPS runs; RSS is the maximum.
# Needs GNU time (/usr/bin/time), GNU tar and iconv.
set -euo pipefail
cd "$(dirname "$0")/.."

reps=${1:-3}
dir=${XDM_BENCH_DIR:-/tmp/xdm-bench-backup}
store_mib=${SIZE_STORE:-3400}
full_mib=${SIZE_FULL:-500}
dump_mib=${SIZE_DUMP:-200}
settle=${SETTLE:-1}

[ -x /usr/bin/time ] || { echo "backup.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
results=$dir/results.txt
: >"$results"

# The free page reporting of the development machine (see bench/journal-fix.sh
# and docs/benchmarks.md): freed pages stay in the machine during the run.
reporting=/sys/module/page_reporting/parameters/min_free_ms
if [ -z "${KEEP_REPORTING:-}" ] && [ -w "$reporting" ]; then
	old_min_free=$(cat "$reporting")
	if [ "$old_min_free" != 60000 ]; then
		trap 'echo "$old_min_free" >"$reporting" || true; rm -rf "$dir"' EXIT
		echo 60000 >"$reporting"
	fi
fi

go build -o "$dir/xdm" ./cmd/xdm
# The generators moved in the i15 refactoring; take whichever is here.
genjournal=./internal/testgen/infotoolgen/cmd/genjournal
gendump=./internal/testgen/pgdumpgen/cmd/gendump

echo "# xdm backup fix benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; uptime: $(uptime); $(go version | cut -d' ' -f3)"

src=$dir/src/SmartBackup
mkdir -p "$src/INFOSTOR" "$src/UCC" "$src/SATELLITE" "$src/NCO" "$src/FOLDERS"
go run "$genjournal" -full -size "${full_mib}M" -o "$src/INFOSTOR/fullexp.exp" 2>&1 | sed 's/^/  /'
go run "$gendump" -size "$dump_mib" -invitees 500000 -templates 50000 >"$src/UCC/dump.sql"
printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM]\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]\r\n"Server"="XPR01"\r\n\r\n' |
	iconv -f UTF-8 -t UTF-16LE | { printf '\xff\xfe'; cat; } >"$src/SATELLITE/SAT01.reg"
printf '<?xml version="1.0" encoding="utf-8"?>\r\n<NcoMainTree version="7"/>\r\n' >"$src/NCO/NcoMainTree.xml"
printf '[Backup]\r\nOption=TOV7\r\n' >"$src/settings.ini"
# Message store: files of 64 KiB to 8 MiB cut from one block of random bytes.
head -c $((8 << 20)) /dev/urandom >"$dir/block"
total=0 n=0
while [ $total -lt $((store_mib << 20)) ]; do
	size=$(((RANDOM % 128 + 1) * 65536))
	d=$src/FOLDERS/user$((n % 200))
	mkdir -p "$d"
	head -c $size "$dir/block" >"$d/msg$n.eml"
	total=$((total + size)) n=$((n + 1))
done
echo "message store: $n files, $((total >> 20)) MiB"
in=$dir/BACKUP.tar
tar --format=gnu -cf "$in" -C "$dir/src" SmartBackup
rm -rf "$dir/src" "$dir/block"
echo "archive: $(stat -c %s "$in") bytes"
cat "$in" >/dev/null

out=$dir/OUT.tar
x=$dir/x
measure() {
	local name=$1
	shift
	rm -rf "$out" "$x"
	sync
	sleep "$settle"
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || {
		echo "$name failed:" >&2
		cat "$dir/stderr.txt" >&2
		exit 1
	}
	awk -v n="$name" '{printf "%s\t%s\t%.2f\t%s\n", n, $1, $2 + $3, $4}' "$dir/time.txt" >>"$results"
}

# The peer: extract, fix each file, re-tar, sync.
cat >"$dir/peer.sh" <<'EOF'
set -euo pipefail
in=$1 out=$2 x=$3 xdm=$4
mkdir -p "$x"
tar -xf "$in" -C "$x"
"$xdm" journal fix -q "$x/SmartBackup/INFOSTOR/fullexp.exp" -o "$x/fullexp.new"
mv "$x/fullexp.new" "$x/SmartBackup/INFOSTOR/fullexp.exp"
"$xdm" ucc lowercase -q --dump "$x/SmartBackup/UCC/dump.sql" -o "$x/dump.new" >/dev/null
mv "$x/dump.new" "$x/SmartBackup/UCC/dump.sql"
sat=$x/SmartBackup/SATELLITE/SAT01.reg
"$xdm" reg wow64 -q "$sat" -o "$x/sat.new" >/dev/null
mv "$x/sat.new" "$sat"
tar --format=gnu -cf "$out" -C "$x" SmartBackup
sync "$out"
EOF

peer_cp() { measure cp cp "$in" "$out"; }
peer_cp_sync() { measure cp+sync sh -c 'cp "$1" "$2" && sync "$2"' sh "$in" "$out"; }
peer_retar() { measure extract/fix/tar bash "$dir/peer.sh" "$in" "$out" "$x" "$dir/xdm"; check_peer; }
peer_xdm() { measure "xdm fix" "$dir/xdm" backup fix -q "$in" -o "$out" --ucc --journal --satellites wow64; check_xdm; }
peer_xdm1() { measure "xdm fix -w1" "$dir/xdm" backup fix -q --workers 1 "$in" -o "$out" --ucc --journal --satellites wow64; check_xdm; }
peer_inspect() { measure "xdm inspect" sh -c '"$1" backup inspect -q "$2" || [ $? = 1 ]' sh "$dir/xdm" "$in"; }
read -r -a peers <<<"${PEERS:-peer_cp peer_cp_sync peer_retar peer_xdm peer_xdm1 peer_inspect}"

members="SmartBackup/INFOSTOR/fullexp.exp SmartBackup/UCC/dump.sql SmartBackup/SATELLITE/SAT01.reg"
want=""
check_peer() {
	local sums=""
	for m in $members; do sums="$sums $(tar -xOf "$out" "$m" | sha256sum | cut -c1-16)"; done
	if [ -z "$want" ]; then want=$sums; elif [ "$sums" != "$want" ]; then echo "peer outputs differ" >&2; exit 1; fi
}
check_xdm() {
	tar -tvf "$out" >/dev/null
	local sums=""
	for m in $members; do sums="$sums $(tar -xOf "$out" "$m" | sha256sum | cut -c1-16)"; done
	if [ -z "$want" ]; then want=$sums; elif [ "$sums" != "$want" ]; then echo "xdm's changed members differ from the peer's files" >&2; exit 1; fi
}

for ((i = 0; i < reps; i++)); do
	for ((k = 0; k < ${#peers[@]}; k++)); do
		"${peers[(i + k) % ${#peers[@]}]}"
	done
done
echo "xdm's changed members are the same in every run (and equal the extract/fix/tar files when that peer ran); tar -tvf reads every xdm output"
echo "uptime after: $(uptime)"

col() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$results" | sort -n; }
median() { awk '{v[NR] = $1} END {if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo
echo "| command | runs | wall min (s) | wall median (s) | CPU user+sys median (s) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|"
declare -A med
while IFS= read -r name; do
	runs=$(col "$name" 2 | wc -l)
	wmin=$(col "$name" 2 | head -1)
	wmed=$(col "$name" 2 | median)
	cmed=$(col "$name" 3 | median)
	rss=$(col "$name" 4 | tail -1 | awk '{printf "%.1f", $1 / 1024}')
	med[$name]=$wmed
	echo "| $name | $runs | $wmin | $wmed | $cmed | $rss |"
done < <(cut -f1 "$results" | awk '!seen[$0]++')
ratio() { awk -v a="${med[$1]:-0}" -v b="${med[$2]:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
echo
echo "median wall ratios: xdm fix / cp+sync = $(ratio "xdm fix" cp+sync), extract/fix/tar / xdm fix = $(ratio extract/fix/tar "xdm fix"), xdm fix / cp = $(ratio "xdm fix" cp)"
echo
echo "every run, in the order run (name, wall s, CPU s, peak RSS KiB):"
sed 's/^/    /' "$results"
