#!/usr/bin/env bash
# Times xdm's prompt conversion against sox on the same generated files, in
# one run: tones, sweeps and noise at 16, 22.05, 44.1 (stereo) and 48 kHz.
#
#   bash bench/xphone.sh [FILES_PER_RATE] [SECONDS]     (default 10 files of 10 s per rate)
#
# Peers: sox run once per file (what an administrator scripts), sequentially
# and two at a time (xargs -P2), against "xdm xphone convert" on the folder
# with 1 worker and with one per CPU. Everything lives in /tmp/xdm-bench-xphone
# and is deleted at the end.
set -euo pipefail
n=${1:-10}
secs=${2:-10}
root=/tmp/xdm-bench-xphone
cd "$(dirname "$0")/.."
rm -rf "$root" && mkdir -p "$root/export/voicemail" "$root/sox"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$root"' EXIT
go build -o "$root/xdm" ./cmd/xdm

printf 'UserKey;Login;FirstName;LastName\r\n' > "$root/export/users.csv"
i=0
for spec in "16000 1" "22050 1" "44100 2" "48000 1"; do
	set -- $spec
	for k in $(seq 1 "$n"); do
		i=$((i + 1))
		d="$root/export/voicemail/u$i"
		mkdir -p "$d"
		printf 'u%d;D\\u%d;First%d;Last%d\r\n' $i $i $i $i >> "$root/export/users.csv"
		case $((k % 3)) in
		0) sig="sine 440" ;;
		1) sig="sine 100-$(($1 / 2))" ;;
		2) sig="whitenoise" ;;
		esac
		sox -n -r "$1" -c "$2" -b 16 "$d/greeting1.wav" synth "$secs" $sig vol 0.5
	done
done
files=$(find "$root/export/voicemail" -name '*.wav' | wc -l)
audio=$((files * secs))
echo "$files files, $audio s of audio, $(du -sh "$root/export/voicemail" | cut -f1); $(nproc) CPUs"

t() { # label command... (stdin passed on): wall and CPU (user+sys, children included) seconds
	local label=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$root/time" "$@" >/dev/null 2>&1
	read -r wall user sys < "$root/time"
	awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v a="$audio" \
		'BEGIN { c = u + s; printf "%-34s wall %6.2f s (%5.0fx realtime)   CPU %6.2f s (%5.0fx realtime)\n", l, w, a / w, c, a / c }'
}
# One line per file: the sox arguments after -D, so that xargs runs sox
# directly (no shell per file).
find "$root/export/voicemail" -name '*.wav' | sort | while read -r f; do
	echo "$f -r 8000 -c 1 -e a-law -b 8 $root/sox/$(basename "$(dirname "$f")").wav"
done > "$root/sox.args"
t "sox, one file at a time" xargs -L1 sox -D < "$root/sox.args"
t "sox, two at a time (xargs -P2)" xargs -P2 -L1 sox -D < "$root/sox.args"
t "xdm xphone convert --workers 1" "$root/xdm" xphone convert "$root/export" -o "$root/out1" --workers 1 -q
t "xdm xphone convert (all CPUs)" "$root/xdm" xphone convert "$root/export" -o "$root/out2" -q
