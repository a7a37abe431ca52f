package script

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// FuzzScriptSnapshot feeds snapshots to ReadSnapshot and Script: whatever
// the snapshot holds, Script either refuses it or writes a script that
// sql/batch splits with no undefined variable and no sqlcmd command other
// than the :setvar lines of CREATE DATABASE.
func FuzzScriptSnapshot(f *testing.F) {
	for i, name := range []string{"xphone.in", "xpdata.in"} {
		seed, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed, uint8(2+i))
	}
	f.Add([]byte(`{"format":1,"database":{"name":"d"},"tables":[{"schema":"s]","name":"$(x)","columns":[{"name":"c\nGO","type":{"name":"nvarchar","maxLength":-1}}],"rows":[["\r\n:r x\n$("]]}]}`), uint8(0))
	f.Add([]byte(`{"format":1,"database":{"name":"d"},"modules":[{"schema":"dbo","name":"p","kind":"PROCEDURE","definition":"CREATE PROCEDURE p AS\nGO\n:exit\n$(y)"}]}`), uint8(1))
	targets := version.All()
	f.Fuzz(func(t *testing.T, data []byte, target uint8) {
		snap, err := catalog.ReadSnapshot(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		opts := Options{Target: targets[int(target)%len(targets)], CreateDatabase: target&1 == 0, Principals: true}
		if _, err := Script(context.Background(), &out, snap, opts); err != nil {
			return
		}
		r := batch.NewReader(&out, batch.Options{Name: "fuzz.sql"})
		for {
			it, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("script does not split: %v\n%s", err, out.String())
			}
			if it.Kind == batch.Command && it.Name != "setvar" {
				t.Fatalf("script holds the sqlcmd command %s %s", it.Name, it.Args)
			}
			if it.Kind == batch.Batch && strings.Contains(string(it.SQL), "$(") {
				t.Fatalf("batch holds $( after substitution:\n%s", it.SQL)
			}
		}
	})
}
