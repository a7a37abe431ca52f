#!/usr/bin/env bash
# Builds smartbackup.tar, the sample XPR Smart Backup of the docs and the CLI
# tests, from the folder SmartBackup/ beside this script with GNU tar, in a
# reproducible way (fixed order, times and owners). The members come from the
# project's samples: fullexp.exp is testdata/infotool/fullexport.txt;
# UCC/dump.sql is what pg_dump wrote of testdata/pgdump/mrsdb.sql
# (scripts/pgdump-samples.sh writes it and then runs this script); the .reg
# files are UTF-16LE with a byte order mark, as regedit writes version 5.00
# exports. GNU tar and bsdtar must both list the result without a warning
# (internal/corpus checks it).
set -euo pipefail
cd "$(dirname "$0")"
# A greeting as XPR stores it: 8 kHz mono A-law WAV, written by sox.
sox -R -n -r 8000 -c 1 -e a-law SmartBackup/FOLDERS/greeting.wav synth 0.85 sine 440 vol 0.5
tar --format=gnu --sort=name --mtime='2024-03-01 12:00:00Z' --owner=0 --group=0 --numeric-owner \
	-cf smartbackup.tar SmartBackup
