#!/usr/bin/env bash
# Times the SQLCMD batch splitter (sql/batch) on a generated INSERT script next
# to peers run on the same file in the same run: cat (read only), cp (read and
# write), and awk as a naive line-based splitter on /^[ \t]*GO[ \t]*$/ that
# collects each batch's lines (it knows nothing of strings and comments, so it
# also splits at the GO lines inside multi-line strings the generator writes).
# Prints the best wall and CPU time of 3 runs, MB/s and peak RSS (GNU time). Deletes its files at the end.
#
#   bash bench/sqlrun.sh            # 1 GiB script
#   SIZE=256M bash bench/sqlrun.sh
set -euo pipefail
size=${SIZE:-1G}
dir=/tmp/xdm-bench-sqlrun
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/.."
go build -o "$dir/sqlsplit" ./bench/sqlsplit
go build -o "$dir/xdm" ./cmd/xdm
f="$dir/inserts.sql"
"$dir/sqlsplit" gen -size "$size" -o "$f"
bytes=$(stat -c %s "$f")
cat "$f" >/dev/null # page cache warm for every contender

# run NAME CMD...: best of 3 runs (the machine is shared) by wall time and by
# CPU time (user+sys, less disturbed by other load), highest peak RSS.
. bench/timing.sh
run() {
	local name=$1
	shift
	best_of 3 "$dir/stdout" "$@"
	awk -v n="$name" -v s="$best" -v c="$bestcpu" -v r="$rss" -v b="$bytes" -v o="$(head -c 100 "$dir/stdout" | tr '\n' ' ')" \
		'BEGIN { printf "%-34s %7.2f s wall %6.0f MB/s | %7.2f s CPU %6.0f MB/s | %7.1f MiB peak RSS | %s\n", n, s, (s > 0 ? b / 1e6 / s : 0), c, (c > 0 ? b / 1e6 / c : 0), r / 1024, o }'
}

echo "file: $f, $bytes bytes; $(nproc) cores; $(date -u +%FT%TZ)"
run "cat > /dev/null" sh -c "cat '$f' > /dev/null"
run "cp" cp "$f" "$dir/copy.sql"
rm -f "$dir/copy.sql"
run "awk naive GO splitter" awk '/^[ \t]*GO[ \t]*\r?$/ { n++; b = ""; next } { b = b $0 "\n" } END { print n " batches" }' "$f"
run "sql/batch normal mode" "$dir/sqlsplit" split "$f"
run "sql/batch raw mode" "$dir/sqlsplit" split -raw "$f"
run "xdm sql run --dry-run > /dev/null" sh -c "'$dir/xdm' sql run --dry-run -X -i '$f' > /dev/null"

# Memory follows the largest batch, not the file: the same amount of SQL in
# batches of 200,000 rows (about 30 MB each).
rm -f "$f"
"$dir/sqlsplit" gen -size 256M -rows 200000 -o "$dir/big-batches.sql"
bytes=$(stat -c %s "$dir/big-batches.sql")
run "sql/batch normal, 30 MB batches" "$dir/sqlsplit" split "$dir/big-batches.sql"
