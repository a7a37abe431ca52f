package downgrade

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	sqlbatch "github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/version"
)

// TestDowngradeKeepsBytes: cp1252 letters, mixed line endings, a line longer
// than the reader's buffers and no final newline come out as they went in,
// apart from the rewritten span.
func TestDowngradeKeepsBytes(t *testing.T) {
	long := strings.Repeat("x", 200<<10)
	in := "INSERT t VALUES (N'Gr\xfc\xdfe', '" + long + "')\nGO\r\n" +
		"-- caf\xe9\r\nDROP VIEW IF EXISTS dbo.v\nGO"
	want := "INSERT t VALUES (N'Gr\xfc\xdfe', '" + long + "')\nGO\r\n" +
		"-- caf\xe9\r\nIF OBJECT_ID(N'dbo.v', N'V') IS NOT NULL DROP VIEW dbo.v\nGO"
	var out bytes.Buffer
	rep, err := Downgrade(context.Background(), strings.NewReader(in), &out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != want {
		t.Errorf("output differs (%d bytes, want %d)", out.Len(), len(want))
	}
	requireOracleClean(t, version.SQL2014, oracleScript{name: "keep.sql", data: out.Bytes()})
	if rep.Batches != 2 || rep.Lexed != 1 || rep.Changed != 1 || len(rep.Findings) != 1 || rep.Findings[0].Line != 4 {
		t.Errorf("report %+v", rep)
	}
}

// TestDowngradeUTF16 reads UTF-16LE with BOM and writes it back as such.
func TestDowngradeUTF16(t *testing.T) {
	enc := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	in := "CREATE TABLE dbo.Straße (Id int) WITH (XML_COMPRESSION = ON, DATA_COMPRESSION = NONE)\r\nGO\r\n"
	want := "CREATE TABLE dbo.Straße (Id int) WITH (DATA_COMPRESSION = NONE)\r\nGO\r\n"
	var out bytes.Buffer
	if _, err := Downgrade(context.Background(), bytes.NewReader(enc(in)), &out, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), enc(want)) {
		t.Errorf("UTF-16 output\n%q\nwant\n%q", out.Bytes(), enc(want))
	}
	requireOracleClean(t, version.SQL2014, oracleScript{name: "utf16.sql", data: out.Bytes()})
}

func TestDowngradeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Downgrade(ctx, strings.NewReader("SELECT 1\nGO\n"), io.Discard, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestDowngradeProgressAndFindings: the callbacks see every byte and finding.
func TestDowngradeProgressAndFindings(t *testing.T) {
	in := "SELECT TRIM(a) FROM t\nGO\nSELECT GREATEST(a, b) FROM t\n"
	var last int64
	var seen []string
	rep, err := Downgrade(context.Background(), strings.NewReader(in), io.Discard, Options{
		Progress:  func(n int64) { last = n },
		OnFinding: func(f Finding) { seen = append(seen, f.Rule) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(len(in)) || strings.Join(seen, ",") != "function-trim,function-greatest" || !rep.Blocking() {
		t.Errorf("progress %d of %d, findings %v, blocking %v", last, len(in), seen, rep.Blocking())
	}
}

// TestDowngradeProblems: lines the batch reader cannot read as GO or
// commands, and a string or comment left open, are reported as
// *position.Error with file:line:col (wrapping batch.ErrSyntax) and kept as
// they are.
func TestDowngradeProblems(t *testing.T) {
	for in, problem := range map[string]string{
		"SELECT 'abc\nGO\n":                        "f.sql:1:8: the script ends inside a '...' string",
		"GO x\nDROP VIEW IF EXISTS v\n":            "f.sql:1:4: after GO expected a repeat count",
		"SELECT 1 /* open\nGO\nSELECT 2\n":         "f.sql:1:10: the script ends inside a /* */ comment",
		"SELECT 1\nGO\nSELECT 2,\n  N'it''s\nGO\n": "f.sql:4:3: the script ends inside a '...' string",
		"SELECT 1\nGO\nSELECT [a\n\nb\n":           "f.sql:3:8: the script ends inside a [...] identifier",
		"SELECT 1 /* a /* b */\n\nGO\nSELECT 2\n":  "f.sql:1:10: the script ends inside a /* */ comment",
	} {
		var out bytes.Buffer
		rep, err := Downgrade(context.Background(), strings.NewReader(in), &out, Options{File: "f.sql"})
		if err != nil || len(rep.Problems) != 1 || !strings.HasPrefix(rep.Problems[0].Error(), problem) || !errors.Is(rep.Problems[0], sqlbatch.ErrSyntax) {
			t.Errorf("%q: err %v, problems %q, want %q", in, err, rep.Problems, problem)
		}
		if want := strings.Replace(in, "DROP VIEW IF EXISTS v", "IF OBJECT_ID(N'v', N'V') IS NOT NULL DROP VIEW v", 1); out.String() != want {
			t.Errorf("%q: output %q", in, out.String())
		}
	}
}

// TestIncludesFollowedForFindings: a master script of :r lines (what
// xdm sql script --split-dir writes) holds no T-SQL of its own. With
// Options.Open the rules read each included file as sqlcmd would, and its
// findings and problems name that file; the output is the master as it
// was. Without Open the :r lines are only listed.
func TestIncludesFollowedForFindings(t *testing.T) {
	files := map[string]string{
		"a b.sql":   "CREATE OR ALTER VIEW dbo.v AS SELECT 1 AS x\r\nGO\r\n:r inner.sql\r\n",
		"inner.sql": "SELECT 1\nGO\nDROP TABLE IF EXISTS dbo.t\nGO\n",
		"loop.sql":  ":r master.sql\n",
	}
	open := func(name string) (io.ReadCloser, error) {
		s, ok := files[name]
		if !ok {
			return nil, errors.New("open " + name + ": no such file")
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
	master := "-- master\r\n:r \"a b.sql\"\r\n:r inner.sql\r\n:r missing.sql\r\n:r loop.sql\r\n:r $(Dir)x.sql\r\n"

	var out bytes.Buffer
	rep, err := Downgrade(context.Background(), strings.NewReader(master), &out, Options{File: "master.sql", Open: open})
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != master {
		t.Errorf("output %q, want the master as it was", out.String())
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
	}
	want := []string{"a b.sql:1 create-or-alter", "inner.sql:3 drop-if-exists", "inner.sql:3 drop-if-exists"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("findings %v, want %v (inner.sql is included twice, as sqlcmd runs it twice)", got, want)
	}
	var problems []string
	for _, p := range rep.Problems {
		problems = append(problems, p.Error())
	}
	if len(rep.Problems) != 2 || !errors.Is(rep.Problems[0], sqlbatch.ErrInclude) || !errors.Is(rep.Problems[1], sqlbatch.ErrIncludeCycle) ||
		!strings.HasPrefix(problems[0], "master.sql:4: :r missing.sql") || !strings.HasPrefix(problems[1], "loop.sql:1: :r master.sql") {
		t.Errorf("problems %q, want the missing file at master.sql:4 and the cycle at loop.sql:1", problems)
	}
	checked := map[string]bool{}
	for _, in := range rep.Includes {
		checked[in.Name] = in.Checked
	}
	if len(rep.Includes) != 7 || !checked["a b.sql"] || !checked["inner.sql"] || checked["$(Dir)x.sql"] || checked["missing.sql"] {
		t.Errorf("includes %+v, want the 7 :r lines, $(Dir)x.sql and missing.sql not checked", rep.Includes)
	}

	rep, err = Downgrade(context.Background(), strings.NewReader(master), io.Discard, Options{File: "master.sql"})
	if err != nil || len(rep.Findings) != 0 || len(rep.Problems) != 0 || len(rep.Includes) != 5 {
		t.Errorf("without Open: %v, %+v; want the 5 :r lines listed and nothing else", err, rep)
	}
}
