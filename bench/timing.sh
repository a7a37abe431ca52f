# Sourced by the bench scripts: best_of RUNS OUT CMD... runs CMD RUNS times
# with its stdout in OUT and sets best (wall seconds), bestcpu (user + sys,
# less disturbed by other load on a shared machine) and rss (highest peak
# RSS, KiB), all from GNU time.
best_of() {
	local runs=$1 out=$2
	shift 2
	local t secs user sys r cpu
	best="" bestcpu="" rss=0
	for _ in $(seq "$runs"); do
		t=$( { /usr/bin/time -f "%e %U %S %M" "$@" >"$out"; } 2>&1 | tail -1)
		read -r secs user sys r <<<"$t"
		cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
		if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$secs; fi
		if [ -z "$bestcpu" ] || awk -v a="$cpu" -v b="$bestcpu" 'BEGIN { exit !(a < b) }'; then bestcpu=$cpu; fi
		if [ "$r" -gt "$rss" ]; then rss=$r; fi
	done
	return 0
}
