package pgtest

import (
	"fmt"
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

// fatalTB records the message of Fatal and stops the caller with a panic,
// as testing's Fatal stops a test's goroutine.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	panic(f)
}

// TestSharedNeedsMain: a package whose TestMain does not run Main would
// leave its shared server running after the test binary ends (internal/cli
// did, one server per test run); Shared refuses instead, before starting
// anything.
func TestSharedNeedsMain(t *testing.T) {
	inMain = false
	defer func() { inMain = true }()
	tb := &fatalTB{TB: t}
	func() {
		defer func() {
			if r := recover(); r != nil && r != tb {
				panic(r)
			}
		}()
		Shared(tb)
	}()
	if !strings.Contains(tb.msg, "pgtest.Main") {
		t.Fatalf("Shared without Main: Fatal %q, want a message naming pgtest.Main", tb.msg)
	}
}
