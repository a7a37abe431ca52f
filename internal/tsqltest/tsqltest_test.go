package tsqltest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/version"
)

// The oracle must tell versions apart and put each error on the script's
// own line, across sqlcmd commands and :r includes.
func TestCheckMapsErrorsToScriptLines(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "part.sql")
	if err := os.WriteFile(inc, []byte("SELECT 1\nGO\nDROP TABLE IF EXISTS dbo.t\nGO\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "-- header\r\n:setvar T dbo.t\r\nCREATE TABLE $(T) (a int)\r\nGO\r\n\r\nCREATE OR ALTER VIEW dbo.v AS SELECT 1 AS a\r\nGO 2\r\n:r part.sql\r\nSELECT 2\r\nGO\r\n"
	s := Script{Name: filepath.Join(dir, "main.sql"), Data: []byte(script)}

	if p := Check(t, Level(version.SQL2019), s); len(p) != 0 {
		t.Fatalf("level 150 must accept the script: %v", p)
	}
	got := Check(t, Level(version.SQL2014), s)
	lines := map[string]bool{}
	for _, p := range got {
		lines[fmt.Sprintf("%s:%d", filepath.Base(p.File), p.Line)] = true
		if p.File == s.Name && !strings.Contains(p.Batch, "CREATE OR ALTER VIEW") {
			t.Errorf("the problem must carry its batch: %q", p.Batch)
		}
	}
	want := map[string]bool{"main.sql:6": true, "part.sql:3": true} // CREATE OR ALTER; DROP ... IF EXISTS
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("level 120: problems at %v, want %v (%v)", lines, want, got)
	}
}

func TestCheckReadsUTF16(t *testing.T) {
	text := "SELECT N'Grüße'\r\nGO\r\nEXEC (CAST(N'x' AS nvarchar(max)) + N'y')\r\nGO\r\n"
	data := []byte{0xFF, 0xFE}
	for _, r := range text {
		data = append(data, byte(r), byte(r>>8))
	}
	got := Check(t, 160, Script{Name: "u16.sql", Data: data})
	if len(got) != 1 || got[0].Line != 3 {
		t.Fatalf("want one problem on line 3 (EXEC of an expression), got %v", got)
	}
}

// CheckBatches takes batches as they are: text that sqlcmd would alter
// ("$(", a GO line inside dynamic SQL) is T-SQL for the server, and lines
// count from each batch's own first line.
func TestCheckBatches(t *testing.T) {
	got := CheckBatches(t, Level(version.SQL2014),
		Batch{File: "a.sql", Line: 10, SQL: "PRINT '$(x)';\nGO_ON:\nPRINT 1;"},
		Batch{File: "b.sql", Line: 3, SQL: "SELECT 1;\nDROP TABLE IF EXISTS dbo.t;"},
	)
	if len(got) != 1 || got[0].File != "b.sql" || got[0].Line != 4 {
		t.Fatalf("want one problem at b.sql:4 (DROP ... IF EXISTS on 2014), got %v", got)
	}
	batches := Split(t, Script{Name: "s.sql", Data: []byte("SELECT 1\r\nGO\r\n\r\nSELECT 2\r\nGO\r\n")})
	if len(batches) != 2 || batches[1].Line != 3 || batches[1].File != "s.sql" {
		t.Fatalf("Split: %+v", batches)
	}
}
