package script

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

func TestSequenceRestart(t *testing.T) {
	base := catalog.Sequence{Schema: "dbo", Name: "S", Type: catalog.Type{Name: "int"}, Start: "1", Increment: "1", Min: "1", Max: "10"}
	for _, tc := range []struct {
		current string
		inc     string
		cycle   bool
		want    string
	}{
		{"", "1", false, "START WITH 1 "},
		{"5", "1", false, "START WITH 6 "},
		{"10", "1", false, "START WITH 10 "},
		{"10", "1", true, "START WITH 1 "},
		{"1", "-1", true, "START WITH 10 "},
	} {
		sq := base
		sq.Current, sq.Increment, sq.Cycle = tc.current, tc.inc, tc.cycle
		if got := sequenceSQL(sq); !strings.Contains(got, tc.want) {
			t.Errorf("%+v: %s", tc, got)
		}
	}
}

func TestSplitMultipart(t *testing.T) {
	for in, want := range map[string]string{
		"[srv].[db].[dbo].[t]]x]": "srv|db|dbo|t]x",
		"dbo.t":                   "dbo|t",
		"[a.b].c":                 "a.b|c",
	} {
		got, err := splitMultipart(in)
		if err != nil || strings.Join(got, "|") != want {
			t.Errorf("%s: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"[x", "[a]b", ""} {
		if _, err := splitMultipart(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		ok   bool
	}{
		{"dbo.*", "dbo.users", true}, {"*.journal*", "x.journalentries", true}, {"a?c", "abc", true},
		{"a?c", "ac", false}, {"*", "", true}, {"dbo.*", "cfg.users", false}, {"*x*y", "axbxy", true},
	} {
		if glob(tc.p, tc.s) != tc.ok {
			t.Errorf("glob(%q, %q) != %v", tc.p, tc.s, tc.ok)
		}
	}
}

// TestFileSize: sizes SQL Server's grammar accepts (an int before the unit).
func TestFileSize(t *testing.T) {
	for kb, want := range map[int64]string{
		8192:        "8192KB",
		2147483647:  "2147483647KB",
		2147483648:  "2048GB", // the 2 TB maximum of a log file
		17179869184: "16384GB",
		2147484672:  "2097153MB",
		2147484680:  "2097154MB", // not whole MB: rounded up
	} {
		if got := fileSize(kb); got != want {
			t.Errorf("fileSize(%d) = %s, want %s", kb, got, want)
		}
	}
}

// TestUnsafeFileNames: a database file whose name or folder holds "$(" or
// a line break cannot go into CREATE DATABASE or a :setvar line unaltered;
// Script returns ErrUnsafeFileName (the CLI words it).
func TestUnsafeFileNames(t *testing.T) {
	for _, name := range []string{`D:\Data$(x)\D.mdf`, `D:\Data\D$(x).mdf`, "D:\\Data\\D\r\nGO.mdf"} {
		snap := genSnapshot()
		snap.Database.Filegroups = []catalog.Filegroup{{Name: "PRIMARY", Type: "ROWS", Files: []catalog.File{{Name: "D", PhysicalName: name}}}}
		if _, err := scriptFails(t, context.Background(), snap, Options{CreateDatabase: true}); !errors.Is(err, ErrUnsafeFileName) {
			t.Errorf("%q: %v, want ErrUnsafeFileName", name, err)
		}
	}
}
