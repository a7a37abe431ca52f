#!/usr/bin/env bash
# Times xdm's batch splitting next to Microsoft's: go-sqlcmd v1.10.0's batch
# parser (pkg/sqlcmd, the one sqlcmd uses), driven line by line by
# sql/batch/sqlcmdcompat/cmd/sqlcmdsplit, and "xdm sql run --dry-run --json",
# on the same generated INSERT script in the same run; both print one JSON
# line per batch. Prints wall time, CPU time (user+sys, less disturbed by
# other load on a shared machine), MB/s, peak RSS, the batch counts (they
# must be equal), the largest batch, and the load (uptime) before and after.
# Then the memory check: the same amount of SQL in 30 MB batches.
#
#   bash bench/sqlrun-sqlcmd.sh            # 256 MiB script
#   SIZE=64M bash bench/sqlrun-sqlcmd.sh
set -euo pipefail
size=${SIZE:-256M}
dir=/tmp/xdm-bench-sqlcmd
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/.."
go build -o "$dir/sqlsplit" ./bench/sqlsplit
go build -o "$dir/xdm" ./cmd/xdm
(cd sql/batch/sqlcmdcompat && go build -o "$dir/sqlcmdsplit" ./cmd/sqlcmdsplit)
f="$dir/inserts.sql"
"$dir/sqlsplit" gen -size "$size" -o "$f"
bytes=$(stat -c %s "$f")
cat "$f" >/dev/null # page cache warm for both

# run NAME RUNS CMD...: best wall and CPU time of RUNS runs, highest peak RSS,
# and the JSON lines the command printed.
. bench/timing.sh
run() {
	local name=$1 runs=$2
	shift 2
	best_of "$runs" "$dir/out.jsonl" "$@"
	lines=$(wc -l <"$dir/out.jsonl")
	awk -v n="$name" -v s="$best" -v c="$bestcpu" -v r="$rss" -v b="$bytes" -v l="$lines" \
		'BEGIN { printf "%-44s %8.2f s wall %7.1f MB/s | %8.2f s CPU %7.1f MB/s | %7.1f MiB peak RSS | %d JSON lines\n", n, s, (s > 0 ? b / 1e6 / s : 0), c, (c > 0 ? b / 1e6 / c : 0), r / 1024, l }'
	echo "$best $bestcpu" >"$dir/last"
}

echo "file: $f, $bytes bytes; $(nproc) cores; $(date -u +%FT%TZ); go-sqlcmd v1.10.0"
echo "load before: $(uptime)"
run "go-sqlcmd Batch (sqlcmdsplit), 1 run" 1 "$dir/sqlcmdsplit" "$f"
read -r sq_wall sq_cpu <"$dir/last"
run "xdm sql run --dry-run --json, best of 3" 3 sh -c "'$dir/xdm' sql run --dry-run --json -f 65001 -X -i '$f'"
read -r x_wall x_cpu <"$dir/last"
echo "load after:  $(uptime)"
awk -v a="$sq_wall" -v b="$x_wall" -v c="$sq_cpu" -v d="$x_cpu" \
	'BEGIN { printf "xdm is %.0f x go-sqlcmd by wall time, %.0f x by CPU time\n", a / b, c / d }'
"$dir/sqlsplit" split "$f" | sed 's/^/sql\/batch: /'

# Memory follows the largest batch, not the file: the same amount of SQL in
# batches of 200,000 rows (about 30 MB each).
rm -f "$f"
"$dir/sqlsplit" gen -size "$size" -rows 200000 -o "$dir/big.sql"
bytes=$(stat -c %s "$dir/big.sql")
run "xdm --dry-run --json, 30 MB batches" 1 sh -c "'$dir/xdm' sql run --dry-run --json -f 65001 -X -i '$dir/big.sql'"
"$dir/sqlsplit" split "$dir/big.sql" | sed 's/^/sql\/batch: /'
