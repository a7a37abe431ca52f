package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
	"github.com/xdm-migrate/xdm/internal/tsqltest"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	sqlversion "github.com/xdm-migrate/xdm/sql/version"
)

// emptyServer is a SQL Server 2014 (as far as the catalog queries can tell)
// with one empty database, XPDATA.
func emptyServer(t *testing.T) *tdsfake.Server {
	t.Helper()
	alias := regexp.MustCompile(`(?m)^  .* AS (\w+),?$`)
	srv, err := tdsfake.Start(func(q string) []tdsfake.Token {
		switch {
		case strings.Contains(q, "SERVERPROPERTY('ProductVersion')"):
			return []tdsfake.Token{tdsfake.Rows([]string{"v", "e", "s"}, []any{"12.0.6024.0", "Express Edition", "SRV1"})}
		case strings.Contains(q, "FROM sys.databases"):
			return []tdsfake.Token{tdsfake.Rows([]string{"name", "collation", "compatibility_level", "recovery_model", "rcsi", "snapshot_isolation", "filestream_directory"},
				[]any{"XPDATA", "Latin1_General_CI_AS", "120", "SIMPLE", "0", "0", nil})}
		}
		var cols []string
		for _, m := range alias.FindAllStringSubmatch(q, -1) {
			cols = append(cols, m[1])
		}
		return []tdsfake.Token{tdsfake.Rows(cols)}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestSQLCatalogAndScriptLive(t *testing.T) {
	srv := emptyServer(t)
	out := filepath.Join(t.TempDir(), "xpdata.json")
	code, _, stderr := runCLI(t, "sql", "catalog", "--dsn", srv.DSN(), "-o", out)
	if code != 0 {
		t.Fatalf("catalog: exit %d: %s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := catalog.ReadSnapshot(f)
	f.Close()
	if err != nil || snap.Database.Name != "XPDATA" || snap.Source.Server != "SRV1" || snap.Source.Version != 120 {
		t.Errorf("snapshot %+v, %v", snap, err)
	}
	if !strings.Contains(stderr, "XPDATA from SQL Server 2014") {
		t.Errorf("stderr %q", stderr)
	}
	if strings.Contains(stderr, "secret") {
		t.Error("password in the output")
	}

	code, stdout, stderr := runCLI(t, "sql", "script", "--dsn", srv.DSN(), "--target", "2012", "--create-database")
	if code != 0 {
		t.Fatalf("script: exit %d: %s", code, stderr)
	}
	text := decodeUTF16LE(t, []byte(stdout))
	requireParses(t, sqlversion.SQL2012, tsqltest.Script{Name: "stdout", Data: []byte(stdout)})
	for _, s := range []string{"CREATE DATABASE [XPDATA]", "SET COMPATIBILITY_LEVEL = 110;", "SET RECOVERY SIMPLE;", "USE [XPDATA];"} {
		if !strings.Contains(text, s) {
			t.Errorf("script lacks %q:\n%s", s, text)
		}
	}
}
