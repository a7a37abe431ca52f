#!/usr/bin/env bash
# Times xdm sql downgrade and xdm sql check on a big data-heavy script (the
# XPhone schema of sql/downgrade/testdata/ssms followed by SSMS-style INSERT
# batches from bench/sqlsplit gen) next to peers run on the same file in the
# same run: cat (read only), cp (read and write) and sed with one substitution
# (a text rewrite that knows nothing of tokens, strings or comments).
# Prints the best wall time of 3 runs with its MB/s, the CPU time (user + sys)
# of that run (the fairer figure on a shared machine) and the peak RSS (GNU
# time), and
# checks that the data part of the output is byte-identical to the input.
# Deletes its files at the end.
#
#   bash bench/downgrade.sh             # 512 MiB of INSERTs
#   SIZE=128M bash bench/downgrade.sh
set -euo pipefail
size=${SIZE:-512M}
dir=/tmp/xdm-bench-downgrade
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/.."
go build -o "$dir/sqlsplit" ./bench/sqlsplit
go build -o "$dir/xdm" ./cmd/xdm
f="$dir/xphone-data.sql"
"$dir/sqlsplit" gen -size "$size" -o "$dir/inserts.sql"
cat sql/downgrade/testdata/ssms/xphone-2019.sql "$dir/inserts.sql" > "$f"
rm -f "$dir/inserts.sql"
bytes=$(stat -c %s "$f")
cat "$f" >/dev/null # page cache warm for every contender

# measure NAME CMD: best wall time of 3 runs (the machine is shared) with the
# CPU seconds of that run, highest peak RSS.
measure() {
	local name=$1 cmd=$2 best="" cpu="" rss=0 line secs c kb
	for _ in 1 2 3; do
		line=$( { /usr/bin/time -f "%e %U %S %M" sh -c "$cmd" >/dev/null; } 2>&1 | tail -1)
		read -r secs u s kb <<<"$line"
		c=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
		if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$secs cpu=$c; fi
		if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
	done
	awk -v n="$name" -v s="$best" -v c="$cpu" -v r="$rss" -v b="$bytes" \
		'BEGIN { printf "%-44s %7.2f s %6.0f MB/s  cpu %6.2f s %6.0f MB/s  %7.1f MiB peak RSS\n", n, s, (s > 0 ? b / 1e6 / s : 0), c, (c > 0 ? b / 1e6 / c : 0), r / 1024 }'
}

echo "file: $f, $bytes bytes; $(nproc) cores; $(date -u +%FT%TZ)"
measure "cat > /dev/null" "cat '$f' > /dev/null"
measure "cp" "cp '$f' '$dir/copy.sql'"
rm -f "$dir/copy.sql"
measure "sed 's/, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF//'" "sed 's/, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF//' '$f' > '$dir/sed.sql'"
rm -f "$dir/sed.sql"
measure "xdm sql check --target 2014" "'$dir/xdm' sql check -q '$f' --target 2014 > /dev/null || true"
measure "xdm sql downgrade --target 2014 -o OUT" "'$dir/xdm' sql downgrade -q '$f' --target 2014 -o '$dir/out.sql' --force"

# The data (everything after the schema) must come out byte for byte.
schema=$(stat -c %s sql/downgrade/testdata/ssms/xphone-2019.sql)
tail -c +$((schema + 1)) "$f" | cmp - <(tail -c "$((bytes - schema))" "$dir/out.sql") && echo "data part of the output identical to the input"
