#!/usr/bin/env bash
# Regenerates the pg_dump samples of the tests with the real pg_dump: it
# starts a throw-away PostgreSQL cluster (initdb in a temporary folder, run as
# the postgres user when started as root, trust authentication, a free port on
# 127.0.0.1 only), builds each sample's database from its source SQL in
# testdata/pgdump/, and writes what pg_dump writes in plain format, as XPR's
# Smart Backup calls it. Run it from anywhere; it needs PostgreSQL's server and
# client binaries (scripts/setup.sh installs them). The \restrict key is fixed
# (--restrict-key) so that a run reproduces the committed files; the
# "Dumped by pg_dump version" line names the PostgreSQL that made them.
#
#   bash scripts/pgdump-samples.sh          # all samples, then the Smart Backup TAR
#
# Samples (source -> output, pg_dump options, what is done afterwards):
#   testdata/pgdump/mrsdb.sql   -> testdata/backup/SmartBackup/UCC/dump.sql
#   testdata/pgdump/utf8.sql    -> sql/pgdump/testdata/utf8.in
#   testdata/pgdump/utf8.sql    -> sql/pgdump/testdata/crlf-no-final-newline.in
#                                  (line ends made CRLF and the last one removed,
#                                  as after a Windows editor saved it)
#   testdata/pgdump/quoted.sql  -> sql/pgdump/testdata/quoted.in
#   testdata/pgdump/latin1.sql  -> sql/pgdump/testdata/latin1.in  (-E LATIN1)
#   testdata/pgdump/win1252.sql -> sql/pgdump/testdata/win1252.in (-E WIN1252)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/testdata/pgdump

bin=${PG_BINDIR:-}
if [ -z "$bin" ]; then
	bin=$(pg_config --bindir 2>/dev/null || true)
	[ -x "$bin/initdb" ] || bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -x "$bin/initdb" ] || { echo "pgdump-samples: no PostgreSQL server binaries (set PG_BINDIR or run scripts/setup.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
as_server() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	chown postgres "$tmp"
	as_server() { runuser -u postgres -- "$@"; }
fi
port=""
stop() {
	[ -z "$port" ] || as_server "$bin/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap stop EXIT

as_server "$bin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log" >&2; exit 1; }
as_server mkdir "$tmp/sock"
for try in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 20000))
	if as_server "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
		-o "-p $port -k $tmp/sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
		break
	fi
	port=""
done
[ -n "$port" ] || { cat "$tmp/server.log" >&2; exit 1; }

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# dump SOURCE OUTPUT [pg_dump options...]: a fresh database from SOURCE,
# dumped to OUTPUT.
n=0
dump() {
	local source=$1 out=$2
	shift 2
	n=$((n + 1))
	local db=sample$n
	psql -d postgres -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
	psql -d "$db" -f "$src/$source"
	"$bin/pg_dump" --restrict-key=xdmSample "$@" -d "$db" >"$out"
	echo "pgdump-samples: $out" >&2
}

dump mrsdb.sql "$root/testdata/backup/SmartBackup/UCC/dump.sql"
dump utf8.sql "$root/sql/pgdump/testdata/utf8.in"
sed 's/$/\r/' "$root/sql/pgdump/testdata/utf8.in" | head -c -2 >"$root/sql/pgdump/testdata/crlf-no-final-newline.in"
dump quoted.sql "$root/sql/pgdump/testdata/quoted.in"
dump latin1.sql "$root/sql/pgdump/testdata/latin1.in" -E LATIN1
dump win1252.sql "$root/sql/pgdump/testdata/win1252.in" -E WIN1252

bash "$root/testdata/backup/make.sh"
