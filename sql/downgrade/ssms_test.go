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
	want := []string{"formatmessage-text in PROCEDURE dbo.ImportCalls", "function-string-agg in VIEW dbo.vUserNumbers",
		"function-string-split in FUNCTION dbo.UserTags", "function-trim in PROCEDURE dbo.FindUser"}
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
	for _, gone := range []string{"AUTOGROW_ALL_FILES", "TEMPORAL_HISTORY_RETENTION", "AUTOMATIC_TUNING", "SCOPED CONFIGURATION", "IF EXISTS"} {
		if bytes.Contains(out.Bytes(), []byte(gone)) {
			t.Errorf("output still has %s", gone)
		}
	}
	for _, want := range []string{
		// the period columns load rows scripted without them
		"\t[ValidFrom] [datetime2](7) DEFAULT SYSUTCDATETIME() NOT NULL,\r\n\t[ValidTo] [datetime2](7) DEFAULT '9999-12-31 23:59:59.9999999' NOT NULL,\r\n",
		"INSERT [dbo].[CallJournal] ([CallId], [UserId], [Number], [Direction], [Started], [DurationSec]) VALUES (1, 1, N'+4989123456', 1,",
		// a module that cannot be created fails loudly where it is used
		"EXEC sp_executesql N'CREATE VIEW [dbo].[vUserNumbers] AS SELECT CAST(N''xdm: VIEW dbo.vUserNumbers could not be created on SQL Server 2014: it uses STRING_AGG() (SQL Server 2017); rewrite it by hand'' AS int) AS stub;';\r\nGO\r\n",
		"EXEC sp_executesql N'CREATE PROCEDURE [dbo].[FindUser] @Search nvarchar(100) AS RAISERROR(N''xdm: PROCEDURE dbo.FindUser could not be created on SQL Server 2014: it uses TRIM() (SQL Server 2017); rewrite it by hand'', 16, 1); RETURN 1;';",
		"N'CREATE TRIGGER [dbo].[trUsersAudit] ON [dbo].[Users] AFTER UPDATE AS RAISERROR(N''xdm: TRIGGER dbo.trUsersAudit is a placeholder: the ALTER that defines it failed when the script ran'', 16, 1); ROLLBACK TRANSACTION;'",
		// inside SSMS's existence check
		"EXEC dbo.sp_executesql @statement = N'IF OBJECT_ID(N''dbo.ImportStage'', N''U'') IS NOT NULL DROP TABLE dbo.ImportStage';",
	} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("output lacks %q", want)
		}
	}
	report := findingLines(rep.Findings)
	for _, want := range []string{
		"omit [database-scoped-configuration]: ALTER DATABASE SCOPED CONFIGURATION (SQL Server 2016) in DATABASE SCOPED CONFIGURATION: MAXDOP = 0 omitted; it is the default, so nothing is lost",
		"omit [database-scoped-configuration]: ALTER DATABASE SCOPED CONFIGURATION (SQL Server 2016) in DATABASE SCOPED CONFIGURATION: PARAMETER_SNIFFING = OFF omitted; on the target set trace flag 4136",
		"omit [filegroup-autogrow]",
		"omit [automatic-tuning]: AUTOMATIC_TUNING (SQL Server 2017) in DATABASE XPhoneConnect: AUTOMATIC_TUNING (FORCE_LAST_GOOD_PLAN = ON): database option omitted",
		"omit [temporal-history-retention]",
		"in TABLE dbo.CallJournal: system versioning omitted: column ValidTo becomes an ordinary column with DEFAULT '9999-12-31 23:59:59.9999999'",
		"xphone-2019.sql:228:40: rewrite [drop-if-exists]: DROP ... IF EXISTS (SQL Server 2016) in TABLE dbo.ImportStage",
		"refuse [formatmessage-text]: FORMATMESSAGE('text', ...) (SQL Server 2016) in PROCEDURE dbo.ImportCalls: before 2016 FORMATMESSAGE takes only the number of a message in sys.messages; the statement, or the module using it, fails there; the ALTER fails, so PROCEDURE dbo.ImportCalls keeps its old definition, or the empty stub",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func findingLines(fs []Finding) string {
	var sb strings.Builder
	for _, f := range fs {
		sb.WriteString(f.String() + "\n")
	}
	return sb.String()
}

// TestSSMSScriptTo2008: what SQL Server 2008 lacks on top of 2014 is
// rewritten (role members) or refused with what is lost: the table whose
// computed column calls CONCAT, the view inside SSMS's existence check that
// calls IIF.
func TestSSMSScriptTo2008(t *testing.T) {
	src, err := os.ReadFile(ssmsScript)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep, err := Downgrade(context.Background(), bytes.NewReader(src), &out, Options{Target: version.SQL2008, File: "xphone-2019.sql"})
	if err != nil {
		t.Fatal(err)
	}
	report := findingLines(rep.Findings)
	for _, want := range []string{
		"refuse [function-concat]: CONCAT() (SQL Server 2012) in TABLE dbo.Users: CONCAT is not a built-in function on the target; the statement, or the module using it, fails there; TABLE dbo.Users is not created (with CONSTRAINT PK_Users)",
		"xphone-2019.sql:205:41: refuse [function-iif]: IIF() (SQL Server 2012) in VIEW dbo.vCallStats: IIF is not a built-in function on the target; the statement, or the module using it, fails there; VIEW dbo.vCallStats is not created",
		"rewrite [alter-role-member]: ALTER [SERVER] ROLE ... ADD|DROP MEMBER (SQL Server 2012) in ROLE db_datareader: rewritten to sp_addrolemember",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q\n%s", want, report)
		}
	}
	if !bytes.Contains(out.Bytes(), []byte("EXEC sp_addrolemember N'db_datareader', N'xphone_app'\r\nGO\r\n")) {
		t.Error("ALTER ROLE ... ADD MEMBER not rewritten")
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
	for _, v := range append(ssmsTargets, version.SQL2019) {
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
