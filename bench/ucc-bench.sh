#!/usr/bin/env bash
# Benchmarks of "xdm ucc lowercase" (docs/benchmarks.md, "xdm ucc lowercase"):
#   offline: rewrite of a generated dump (default 1 GiB) against cp of the same file;
#   live:    1 M invitee rows through xdm against the plain UPDATE in psql.
# Usage: bash bench/ucc-bench.sh [offline|live|all]
# Settings: SIZE_MB (1024), INVITEES (1000000), BENCH_DIR (/tmp/xdm-bench-ucc),
#   XDM (an xdm binary to time instead of building ./cmd/xdm, to compare builds).
# Needs PostgreSQL server binaries for "live" (scripts/setup.sh installs them).
set -euo pipefail
as=()
cd "$(dirname "$0")/.."
what=${1:-all}
SIZE_MB=${SIZE_MB:-1024}
INVITEES=${INVITEES:-1000000}
DIR=${BENCH_DIR:-/tmp/xdm-bench-ucc}
mkdir -p "$DIR"
trap 'rm -f "$DIR"/*.sql "$DIR"/*.sql.*' EXIT
if [ -n "${XDM:-}" ]; then
	cp "$XDM" "$DIR/xdm"
else
	go build -o "$DIR/xdm" ./cmd/xdm
fi

# timed NAME CMD...: runs CMD under /usr/bin/time -v, prints wall seconds and peak RSS.
timed() {
	local name=$1
	shift
	/usr/bin/time -v "$@" 2>"$DIR/$name.time" >/dev/null || { cat "$DIR/$name.time"; return 1; }
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$DIR/$name.time")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/$name.time")
	echo "$name wall_s=$wall peak_rss_kib=$rss"
}

offline() {
	echo "== offline: ${SIZE_MB} MiB dump, ${INVITEES} invitees, $(nproc) CPUs"
	go run ./internal/testgen/pgdumpgen/cmd/gendump -size "$SIZE_MB" -invitees "$INVITEES" >"$DIR/dump.sql"
	local bytes
	bytes=$(stat -c %s "$DIR/dump.sql")
	echo "dump bytes=$bytes"
	cat "$DIR/dump.sql" >/dev/null # same page-cache state for both
	timed cp cp "$DIR/dump.sql" "$DIR/copy.sql"
	timed xdm "$DIR/xdm" -q ucc lowercase --dump "$DIR/dump.sql" -o "$DIR/out.sql"
	for n in cp xdm; do
		awk -v b="$bytes" -v n=$n -F': ' '/Elapsed \(wall clock\)/ {k=split($2,a,":"); s=0; for(i=1;i<=k;i++) s=s*60+a[i]; printf "%s MB/s=%.0f\n", n, b/1e6/s}' "$DIR/$n.time"
	done
	cmp -s "$DIR/dump.sql" "$DIR/out.sql" && { echo "error: nothing changed"; exit 1; }
	rm -f "$DIR"/*.sql
}

live() {
	echo "== live: ${INVITEES} invitee rows"
	bin=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	pgdir=$(mktemp -d /tmp/xdm-bench-ucc-pg.XXXXXX)
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$pgdir"
		as=(runuser -u postgres --)
	fi
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"${as[@]}" "$bin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
	"${as[@]}" "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
	trap '"${as[@]}" "$bin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null; rm -rf "$pgdir" "$DIR"/*.sql' EXIT
	local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
	"${psql[@]}" <<-SQL
		CREATE SCHEMA symconferencing;
		CREATE TABLE symconferencing.invitees (id int PRIMARY KEY, conferenceid int, invitationaddress varchar(255), displayname text,
		  CONSTRAINT invitees_conf_addr UNIQUE (conferenceid, invitationaddress));
		CREATE TABLE seed AS SELECT i AS id, i / 50 AS conferenceid,
		  CASE WHEN i % 10 = 0 THEN 'user' || i || '@example.com' ELSE 'User' || i || '@Example.COM' END AS invitationaddress,
		  'Invitee Nr. ' || i AS displayname FROM generate_series(1, $INVITEES) i;
	SQL
	reset() {
		"${psql[@]}" -c "TRUNCATE symconferencing.invitees; INSERT INTO symconferencing.invitees SELECT * FROM seed;" \
			-c "VACUUM ANALYZE symconferencing.invitees" -c "CHECKPOINT"
	}
	reset
	timed psql-update "${psql[@]}" -c "UPDATE symConferencing.Invitees SET InvitationAddress = lower(InvitationAddress);"
	reset
	timed xdm-live "$DIR/xdm" -q ucc lowercase --dsn "postgres://postgres@127.0.0.1:$port/postgres"
	"${psql[@]}" -At -c "SELECT 'not lower: ' || count(*) FROM symconferencing.invitees WHERE invitationaddress <> lower(invitationaddress)"
}

case $what in
offline) offline ;;
live) live ;;
all) offline; live ;;
*) echo "usage: $0 [offline|live|all]" >&2; exit 2 ;;
esac
