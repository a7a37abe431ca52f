#!/usr/bin/env bash
# Benchmark of "xdm sql script" data rendering: ROWS generated rows (default
# 10,000,000: 100 ops of BenchmarkScriptRows, 100,000 rows each) rendered to
# multi-row INSERT text in a file, with the peak memory of the process, and in
# the same run two peers: cp of the produced script, and seq | awk printing
# INSERT rows of the same shape.
#
#   bash bench/sqlscript.sh [ops]        # ops x 100,000 rows (default 100)
#
# Files go to /tmp/xdm-bench-sqlscript and are deleted at the end.
set -euo pipefail
ops=${1:-100}
rows=$((ops * 100000))
dir=/tmp/xdm-bench-sqlscript
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/.."

go test -c -o "$dir/script.test" ./sql/mssql/script
echo "== xdm: render $rows rows (BenchmarkScriptRows, -benchtime ${ops}x) to $dir/out.sql"
XDM_BENCH_OUT="$dir/out.sql" /usr/bin/time -f "peak RSS %M KB, wall %e s, user %U s, sys %S s" \
	"$dir/script.test" -test.run '^$' -test.bench '^BenchmarkScriptRows$' -test.benchtime "${ops}x" -test.benchmem 2>&1 |
	grep -E 'Benchmark|peak RSS'
size=$(stat -c %s "$dir/out.sql")
echo "script size: $size bytes"

echo "== peer: cp of the produced script"
/usr/bin/time -f "wall %e s" cp "$dir/out.sql" "$dir/copy.sql" 2>&1
rm -f "$dir/copy.sql"

echo "== peer: seq | awk printing $rows INSERT rows of the same shape"
/usr/bin/time -f "wall %e s, peak RSS %M KB" sh -c "seq 1 $rows | awk '{ if (NR % 1000 == 1) print \"INSERT INTO [dbo].[Journal] ([Id], [Text], [Score], [At], [Blob])\"; printf \"(%d, N'\''row %d, it'\'''\''s \$'\'' + N'\''(n)'\'', %.17g, '\''2026-01-02T03:04:05.1234567'\'', 0x%02XFF),\n\", \$1, \$1, \$1/3, \$1%256 }' > $dir/awk.sql" 2>&1
echo "awk output size: $(stat -c %s "$dir/awk.sql") bytes"
