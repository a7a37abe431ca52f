package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/tsqltest"
	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/version"
)

// tsqlLevel is the level the sqlcmd scripts of sql/batch/testdata are
// checked at: they name no SQL Server version, and SSMS (ssms.sql) and
// sqlcmd write the same syntax for 2008 and later, so they must parse at the
// oldest version xdm supports.
var tsqlLevel = tsqltest.Level(version.SQL2008)

// TestTSQLSamples: the sqlcmd scripts of sql/batch/testdata (the splitter's
// goldens) are T-SQL that Microsoft's parser accepts, batch by batch, as
// sqlcmd sends them. The snapshots and scripts of sql/downgrade and
// sql/mssql/script are checked at their own versions by those packages'
// oracle tests.
func TestTSQLSamples(t *testing.T) {
	files := samples(t, 5, func(rel string) bool {
		return strings.HasPrefix(rel, "sql/batch/testdata/") && !strings.Contains(rel, "/inc/") && hasExt(".sql")(rel)
	})
	checkAll(t, files, func(t *testing.T, rel string) error {
		data, err := os.ReadFile(abs(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		// The scripts' :r names are relative to the package folder, where
		// sql/batch's tests run them, and tsqltest opens them relative to
		// the folder of Name; PRESET is the -v variable of those tests.
		script := tsqltest.Script{
			Name: filepath.Join(root(t), "sql", "batch", filepath.Base(rel)),
			Data: data,
			Vars: map[string]string{"PRESET": "v"},
		}
		if err := split(script); err != nil {
			return err
		}
		var problems []string
		for _, p := range tsqltest.Check(t, tsqlLevel, script) {
			problems = append(problems, fmt.Sprintf("line %d:%d: %s (ScriptDom %d)", p.Line, p.Column, p.Message, p.Number))
		}
		if len(problems) > 0 {
			return errors.New(strings.Join(problems, "\n"))
		}
		return nil
	})
}

// split reports what tsqltest.Split would stop the test for: a script that
// sqlcmd itself refuses (a bad command, an unclosed string, an unknown
// variable), which no parser is asked about.
func split(s tsqltest.Script) error {
	decoded, _, err := batch.Decode(bytes.NewReader(s.Data), 0)
	if err != nil {
		return err
	}
	r := batch.NewReader(decoded, batch.Options{Name: s.Name, Vars: s.Vars, Open: func(name string) (io.ReadCloser, error) {
		rc, _, err := batch.OpenFile(filepath.Join(filepath.Dir(s.Name), name), 0)
		return rc, err
	}})
	defer r.Close()
	for {
		if _, err := r.Read(); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}
