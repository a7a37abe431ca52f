#!/usr/bin/env bash
# Installs what xdm's build and tests need on a fresh Debian machine and is a
# no-op where everything is present: Go modules, PostgreSQL (the tests start a
# throw-away cluster from its binaries), Node/npm (antlr-ng, for go generate),
# sox (the audio comparison peer), bsdtar (TAR archives as Windows writes them), xmllint (the XML samples), sqlfluff (a T-SQL syntax check), Mono
# (which runs the T-SQL version oracle, ../shared/tools/tsqlparse, in tests)
# and Wine (whose regedit imports and exports .reg files in tests).
set -euo pipefail

missing=()
command -v npx >/dev/null 2>&1 || missing+=(nodejs npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v bsdtar >/dev/null 2>&1 || missing+=(libarchive-tools) # bsdtar (= Windows' tar.exe): backup tests
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils) # xmllint: internal/corpus checks the XML samples
command -v sqlfluff >/dev/null 2>&1 || missing+=(sqlfluff)
{ command -v mono && [ -f /usr/lib/mono/4.5/System.Core.dll ] && [ -f /usr/lib/mono/4.5/System.Runtime.Serialization.dll ] && [ -f /usr/lib/mono/4.5/System.Xml.dll ]; } >/dev/null 2>&1 || missing+=(mono-runtime libmono-system-core4.0-cil libmono-system-xml4.0-cil libmono-system-runtime-serialization4.0-cil)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v wine >/dev/null 2>&1 || missing+=(wine wine64) # Wine's regedit: the independent .reg reader and writer of registry/wine_test.go
[ -x /usr/bin/time ] || missing+=(time) # GNU time: peak RSS in bench/journal-fix.sh

if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "setup: installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cd "$(dirname "$0")/.."
go mod download
