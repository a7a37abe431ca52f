package pgtest

import (
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestClusterRunsSQL(t *testing.T) {
	c := Shared(t)
	db := c.CreateDB(t, "pgtest")
	c.Psql(t, db, `CREATE TABLE t (v text); INSERT INTO t VALUES ('Ä'), ('b');`)
	if got := c.Psql(t, db, `SELECT string_agg(lower(v), ',' ORDER BY v) FROM t`); strings.TrimSpace(got) != "b,ä" {
		t.Fatalf("lower() in the test database = %q, want b,ä (a UTF-8 database with Unicode case mapping)", got)
	}
	dump := c.Run(t, nil, "pg_dump", db)
	if !strings.Contains(string(dump), "COPY public.t (v) FROM stdin;") {
		t.Fatalf("pg_dump output lacks the COPY block:\n%s", dump)
	}
}
