package downgrade

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testtool"

	sqlbatch "github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/version"
)

const ssmsScript = "testdata/ssms/xphone-2019.sql"

// TestSSMSScriptTo2014 downgrades an SSMS "Generate Scripts" output of an
// XPhone-like SQL Server 2019 database (FILESTREAM, identity, computed
// column, temporal table, views, procedures, a function and a trigger using
// 2016+ syntax) to 2014, then scans the result again.
func TestSSMSScriptTo2014(t *testing.T) {
	src, err := os.ReadFile(ssmsScript)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Target: version.SQL2014, File: "xphone-2019.sql"}
	var out bytes.Buffer
	rep, err := Downgrade(context.Background(), bytes.NewReader(src), &out, opts)
	if err != nil {
		t.Fatal(err)
	}
	refused := refusals(rep.Findings)
	want := []string{"function-string-agg in VIEW dbo.vUserNumbers", "function-string-split in FUNCTION dbo.UserTags",
		"function-trim in PROCEDURE dbo.FindUser"}
	if strings.Join(refused, "\n") != strings.Join(want, "\n") {
		t.Errorf("refused:\n%s\nwant:\n%s", strings.Join(refused, "\n"), strings.Join(want, "\n"))
	}
	if n := rep.Count(Rewrite) + rep.Count(Omit); n < 20 {
		t.Errorf("only %d rewrites and omissions", n)
	}

	// Scanning the output finds nothing newer than 2014 but the module
	// bodies that were refused.
	rep2, err := Downgrade(context.Background(), bytes.NewReader(out.Bytes()), io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep2.Findings {
		if f.Action != Refuse && f.Action != Warn {
			t.Errorf("output still needs: %s", f)
		}
	}
	if got := refusals(rep2.Findings); strings.Join(got, "\n") != strings.Join(refused, "\n") {
		t.Errorf("refusals in the output differ:\n%s", strings.Join(got, "\n"))
	}

	// What the rules do not concern is untouched: the FILESTREAM table, the
	// identity and computed columns, the data.
	for _, keep := range []string{
		"\t[Content] [varbinary](max) FILESTREAM  NULL,\r\n",
		") ON [PRIMARY] FILESTREAM_ON [XPhoneFS]\r\nGO\r\n",
		"\t[DisplayName]  AS (concat([FirstName],N' ',[LastName])) PERSISTED,\r\n",
		"\t[CallId] [bigint] IDENTITY(1,1) NOT NULL,\r\n",
		"VALUES (3, N'trim', N'CREATE OR ALTER', N'STRING_AGG(', NULL, N'203', CAST(N'2024-01-04T08:00:00.0000000' AS DateTime2))\r\nGO\r\n",
	} {
		if !bytes.Contains(out.Bytes(), []byte(keep)) {
			t.Errorf("output lost %q", keep)
		}
	}
	if bytes.Contains(out.Bytes(), []byte("SYSTEM_VERSIONING")) || bytes.Contains(out.Bytes(), []byte("OPTIMIZE_FOR_SEQUENTIAL_KEY")) {
		t.Error("output still has 2016+ table options")
	}
}

func refusals(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Action == Refuse {
			out = append(out, f.Rule+" in "+f.Object)
		}
	}
	sort.Strings(out)
	return out
}

// TestSSMSScriptSqlfluff parses every batch of the downgraded script with
// sqlfluff (tsql dialect) as an independent syntax check. sqlfluff does not
// know all of T-SQL (ALTER DATABASE, computed columns, ALTER TRIGGER...), so
// a batch it rejects passes only if sqlfluff rejects the input batch it came
// from as well: a rewrite must never turn parseable SQL into unparseable SQL.
func TestSSMSScriptSqlfluff(t *testing.T) {
	testtool.LookPath(t, "sqlfluff", "apt-get install sqlfluff")
	src, err := os.ReadFile(ssmsScript)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	type pair struct{ in, out string }
	var pairs []pair
	opts := Options{Target: version.SQL2014}
	n := 0
	for _, in := range rawBatches(t, src) {
		out, _ := RewriteBatch(in, opts, Position{})
		if bytes.Equal(out, in) {
			continue // the user's own text: nothing of ours to check
		}
		n++
		inFile := filepath.Join(dir, "in", fmt.Sprintf("b%03d.sql", n))
		os.MkdirAll(filepath.Dir(inFile), 0o755)
		os.WriteFile(inFile, in, 0o644)
		for k, piece := range rawBatches(t, out) {
			outFile := filepath.Join(dir, "out", fmt.Sprintf("b%03d_%d.sql", n, k))
			os.MkdirAll(filepath.Dir(outFile), 0o755)
			os.WriteFile(outFile, piece, 0o644)
			pairs = append(pairs, pair{inFile, outFile})
		}
	}
	bad := sqlfluffFailures(t, filepath.Join(dir, "out"))
	// Parse the inputs of the rejected outputs only: sqlfluff is slow.
	recheck := filepath.Join(dir, "recheck")
	os.MkdirAll(recheck, 0o755)
	for _, p := range pairs {
		if bad[p.out] {
			b, _ := os.ReadFile(p.in)
			os.WriteFile(filepath.Join(recheck, filepath.Base(p.in)), b, 0o644)
		}
	}
	badIn := map[string]bool{}
	if ents, _ := os.ReadDir(recheck); len(ents) > 0 {
		for f := range sqlfluffFailures(t, recheck) {
			badIn[filepath.Base(f)] = true
		}
	}
	checked, gaps := 0, 0
	for _, p := range pairs {
		checked++
		if !bad[p.out] {
			continue
		}
		if badIn[filepath.Base(p.in)] {
			gaps++
			continue
		}
		b, _ := os.ReadFile(p.out)
		t.Errorf("sqlfluff rejects output batch %s but accepts its input:\n%s", filepath.Base(p.out), b)
	}
	t.Logf("sqlfluff checked the %d batches xdm wrote for %d changed input batches; %d rejected together with their input (sqlfluff grammar gaps)", checked, n, gaps)
	if checked-gaps < 15 {
		t.Errorf("only %d batches parsed by sqlfluff", checked-gaps)
	}
}

// rawBatches splits a script into its batches' SQL (without GO lines),
// skipping blank ones.
func rawBatches(t *testing.T, src []byte) [][]byte {
	r := sqlbatch.NewReader(bytes.NewReader(src), sqlbatch.Options{Raw: true})
	var out [][]byte
	for {
		it, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Kind == sqlbatch.Batch && len(bytes.TrimSpace(it.SQL)) > 0 {
			out = append(out, bytes.Clone(it.SQL))
		}
	}
}

// sqlfluffFailures runs sqlfluff parse once over dir and returns the files
// holding an unparsable section.
func sqlfluffFailures(t *testing.T, dir string) map[string]bool {
	cmd := exec.Command("sqlfluff", "parse", "--dialect", "tsql", "--format", "json", "--nofail", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("sqlfluff: %v\n%s", err, stderr.Bytes())
	}
	var files []struct {
		Filepath string          `json:"filepath"`
		Segments json.RawMessage `json:"segments"`
	}
	if err := json.Unmarshal(b, &files); err != nil {
		t.Fatalf("sqlfluff output: %v", err)
	}
	bad := map[string]bool{}
	for _, f := range files {
		if bytes.Contains(f.Segments, []byte("unparsable")) {
			p := f.Filepath
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, filepath.Base(p))
			}
			bad[p] = true
		}
	}
	if len(files) == 0 {
		t.Fatal("sqlfluff parsed no file")
	}
	return bad
}

// TestSSMSScriptEveryTarget: for every older target, a second pass over the
// output finds nothing left to rewrite or omit, and the same refusals.
func TestSSMSScriptEveryTarget(t *testing.T) {
	src, err := os.ReadFile(ssmsScript)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []version.Version{version.SQL2008R2, version.SQL2012, version.SQL2016, version.SQL2017, version.SQL2019} {
		opts := Options{Target: v}
		var out bytes.Buffer
		rep, err := Downgrade(context.Background(), bytes.NewReader(src), &out, opts)
		if err != nil {
			t.Fatal(err)
		}
		rep2, err := Downgrade(context.Background(), bytes.NewReader(out.Bytes()), io.Discard, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep2.Findings {
			if f.Action == Rewrite || f.Action == Omit {
				t.Errorf("%s: output still needs %s", v, f)
			}
		}
		if a, b := refusals(rep.Findings), refusals(rep2.Findings); strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%s: refusals %v, after the downgrade %v", v, a, b)
		}
		t.Logf("%s: %d findings, %d refused", v, len(rep.Findings), rep.Count(Refuse))
	}
}
