#!/usr/bin/env bash
# Cost of "xdm sql script --encoding utf-16" (the default) against UTF-8:
# BenchmarkScriptEncoding writes OPS x 100,000 generated rows to a file once
# per encoding (UTF-8, UTF-8 BOM, UTF-16LE), and in the same run the peers
# convert the same UTF-8 script with iconv -t UTF-16LE and copy it with cp.
#
#   bash bench/sqlscript-encoding.sh [ops]   # ops x 100,000 rows (default 10)
#
# Files go to /tmp/xdm-bench-scriptenc and are deleted at the end.
set -euo pipefail
ops=${1:-10}
dir=/tmp/xdm-bench-scriptenc
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/.."

uptime
go test -c -o "$dir/script.test" ./sql/mssql/script
echo "== xdm: BenchmarkScriptEncoding, -benchtime ${ops}x ($((ops * 100000)) rows per encoding)"
XDM_BENCH_DIR="$dir" "$dir/script.test" -test.run '^$' -test.bench '^BenchmarkScriptEncoding$' \
	-test.benchtime "${ops}x" -test.benchmem 2>&1 | grep -E '^Benchmark'

echo "== the same rows as one UTF-8 script, for the peers"
XDM_BENCH_OUT="$dir/out.sql" "$dir/script.test" -test.run '^$' -test.bench '^BenchmarkScriptRows$' \
	-test.benchtime "${ops}x" >/dev/null
echo "UTF-8 script: $(stat -c %s "$dir/out.sql") bytes"

echo "== peer: iconv -f UTF-8 -t UTF-16LE"
/usr/bin/time -f "wall %e s, user %U s, sys %S s" iconv -f UTF-8 -t UTF-16LE "$dir/out.sql" -o "$dir/out16.sql" 2>&1
echo "UTF-16LE: $(stat -c %s "$dir/out16.sql") bytes"
rm -f "$dir/out16.sql"

echo "== peer: cp"
/usr/bin/time -f "wall %e s" cp "$dir/out.sql" "$dir/copy.sql" 2>&1
uptime
