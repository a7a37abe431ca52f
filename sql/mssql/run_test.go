package mssql

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/internal/tdsfake"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/batch"
)

// The tests below run scripts that use only PRINT, RAISERROR, SELECT <n> and
// SET, so that the same assertions hold against the TDS test double (which
// answers those statements as SQL Server does) and against a real server
// when XDM_TEST_MSSQL_DSN is set.

var (
	rePrint = regexp.MustCompile(`(?i)^\s*PRINT\s+'([^']*)'`)
	reRaise = regexp.MustCompile(`(?i)^\s*RAISERROR\s*\(\s*'([^']*)'\s*,\s*(\d+)\s*,\s*(\d+)\s*\)`)
	reSel   = regexp.MustCompile(`(?i)^\s*SELECT\s+(\d+)\s+AS\s+(\w+)`)
)

// fakeAnswer plays SQL Server for the statements the test scripts use.
func fakeAnswer(sql string) []tdsfake.Token {
	var out []tdsfake.Token
	for i, line := range strings.Split(sql, "\n") {
		if m := rePrint.FindStringSubmatch(line); m != nil {
			out = append(out, tdsfake.Print(m[1]))
		} else if m := reRaise.FindStringSubmatch(line); m != nil {
			class, _ := strconv.Atoi(m[2])
			state, _ := strconv.Atoi(m[3])
			if class >= 11 {
				out = append(out, tdsfake.Error(50000, uint8(class), uint8(state), m[1], int32(i+1)))
			} else {
				out = append(out, tdsfake.Info(50000, uint8(class), uint8(state), m[1]))
			}
		} else if m := reSel.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			out = append(out, tdsfake.Rows([]string{m[2]}, []any{n}))
		}
	}
	return out
}

type target struct {
	name    string
	connect func(ctx context.Context) (Executor, error)
}

func connectTo(t *testing.T, dsn string) func(ctx context.Context) (Executor, error) {
	return func(ctx context.Context) (Executor, error) {
		db, err := Connect(ctx, ConnOptions{DSN: dsn})
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { db.Close() })
		return db, nil
	}
}

// TestRunnerAgainstTDSFake runs the runner's suite through the real driver
// against the TDS test double.
func TestRunnerAgainstTDSFake(t *testing.T) {
	srv, err := tdsfake.Start(fakeAnswer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	runnerSuite(t, target{name: "tdsfake", connect: connectTo(t, srv.DSN())})
}

// TestRealServer runs the same suite against the SQL Server that
// XDM_TEST_MSSQL_DSN names (no SQL Server can run on the build machines).
func TestRealServer(t *testing.T) {
	dsn := os.Getenv("XDM_TEST_MSSQL_DSN")
	if dsn == "" {
		t.Skip("XDM_TEST_MSSQL_DSN not set: no SQL Server to test against")
	}
	runnerSuite(t, target{name: "sqlserver", connect: connectTo(t, dsn)})
}

// runnerSuite is every runner test that goes over the wire.
func runnerSuite(t *testing.T, tg target) {
	for name, test := range map[string]func(*testing.T, target){
		"ErrorWithoutBGoesOn":                  testErrorWithoutBGoesOn,
		"ExitOnErrorStops":                     testExitOnErrorStops,
		"OnErrorCommands":                      testOnErrorCommands,
		"State127AlwaysStops":                  testState127AlwaysStops,
		"GoCountAndResultSet":                  testGoCountAndResultSet,
		"ResumeAfterFailure":                   testResumeAfterFailure,
		"ScriptErrorsStopBeforeAnythingIsSent": testScriptErrorsStopBeforeAnythingIsSent,
		"ExitQueryAndVars":                     testExitQueryAndVars,
		"ErrorSeverityAndLevel":                testErrorSeverityAndLevel,
	} {
		t.Run(name, func(t *testing.T) { test(t, tg) })
	}
}

func writeScript(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "script.sql")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type runResult struct {
	sum         Summary
	err         error
	out, errOut string
}

func runScript(t *testing.T, tg target, opt RunOptions) runResult {
	t.Helper()
	var out, errOut bytes.Buffer
	opt.Out, opt.ErrOut, opt.Connect = &out, &errOut, tg.connect
	sum, err := Run(context.Background(), opt)
	return runResult{sum, err, out.String(), errOut.String()}
}

// printed returns the "batch N" lines of out.
func printed(out string) string {
	var b []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "batch ") {
			b = append(b, strings.TrimPrefix(l, "batch "))
		}
	}
	return strings.Join(b, ",")
}

const threeBatches = "PRINT 'batch 1'\r\nGO\r\nPRINT 'batch 2'\r\nRAISERROR('boom', 16, 1)\r\nPRINT 'batch 2 goes on'\r\nGO\r\nPRINT 'batch 3'\r\n"

func testErrorWithoutBGoesOn(t *testing.T, tg target) {
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, threeBatches)}})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := printed(r.out); got != "1,2,2 goes on,3" {
		t.Errorf("printed %q", got)
	}
	if n := strings.Count(r.errOut, "boom"); n != 1 {
		t.Errorf("the error is reported %d times:\n%s", n, r.errOut)
	}
	if r.sum.Failed != 1 || r.sum.Executed != 3 {
		t.Errorf("summary %+v", r.sum)
	}
	if !strings.Contains(r.errOut, "Msg 50000, Level 16, State 1") || !strings.Contains(r.errOut, "boom") || !strings.Contains(r.errOut, "script.sql:4)") {
		t.Errorf("error output %q lacks the message or its file line", r.errOut)
	}
}

func testExitOnErrorStops(t *testing.T, tg target) {
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, threeBatches)}, ExitOnError: true})
	var be *BatchError
	var pe *position.Error
	if !errors.As(r.err, &be) || be.Ordinal != 2 || be.Msg.Line != 2 || be.Msg.Number != 50000 {
		t.Fatalf("error %v, want a BatchError for batch 2, message line 2", r.err)
	}
	if !errors.As(r.err, &pe) || pe.Line != 4 || !strings.HasSuffix(pe.File, "script.sql") {
		t.Errorf("error %v does not point at the RAISERROR line", r.err)
	}
	if got := printed(r.out); got != "1,2,2 goes on" {
		t.Errorf("printed %q: batch 3 ran after the error", got)
	}
}

func testOnErrorCommands(t *testing.T, tg target) {
	script := ":on error ignore\n" + threeBatches + "GO\n:on error exit\nRAISERROR('second', 11, 1)\nGO\nPRINT 'batch 4'\n"
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}, ExitOnError: true})
	var be *BatchError
	if !errors.As(r.err, &be) || be.Msg.Text != "second" {
		t.Fatalf("error %v, want the batch raising 'second'", r.err)
	}
	if got := printed(r.out); got != "1,2,2 goes on,3" {
		t.Errorf("printed %q", got)
	}
}

func testState127AlwaysStops(t *testing.T, tg target) {
	script := "PRINT 'batch 1'\nRAISERROR('the end', 1, 127)\nGO\nPRINT 'batch 2'\n"
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}})
	var be *BatchError
	if !errors.As(r.err, &be) || be.Msg.State != 127 {
		t.Fatalf("error %v, want a stop at state 127", r.err)
	}
	if got := printed(r.out); got != "1" {
		t.Errorf("printed %q", got)
	}
}

func testGoCountAndResultSet(t *testing.T, tg target) {
	script := "PRINT 'batch x'\nGO 3\nSELECT 42 AS answer\nGO\n"
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := printed(r.out); got != "x,x,x" {
		t.Errorf("GO 3 printed %q", got)
	}
	// An int column is 11 wide, its values right-aligned, as sqlcmd lays
	// it out.
	if !strings.Contains(r.out, "answer     \n-----------\n         42\n\n(1 row affected)\n") {
		t.Errorf("result set not shown as sqlcmd shows it:\n%s", r.out)
	}
	if r.sum.Executed != 2 {
		t.Errorf("summary %+v", r.sum)
	}
	r = runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}, NoResults: true})
	if strings.Contains(r.out, "answer") {
		t.Errorf("NoResults printed the result set:\n%s", r.out)
	}
}

func testResumeAfterFailure(t *testing.T, tg target) {
	script := "PRINT 'batch 1'\nGO\nPRINT 'batch 2'\nGO\nRAISERROR('fails until fixed', 16, 1)\nGO\nPRINT 'batch 4'\n"
	path := writeScript(t, script)
	var saved []Checkpoint
	opt := RunOptions{Files: []string{path}, ExitOnError: true, Checkpoint: func(c Checkpoint) error {
		var b bytes.Buffer
		c.WriteTo(&b)
		back, err := ReadCheckpoint(&b)
		saved = append(saved, back)
		return err
	}}
	r := runScript(t, tg, opt)
	if r.err == nil || len(saved) == 0 {
		t.Fatalf("first run: error %v, %d checkpoints", r.err, len(saved))
	}
	cp := saved[len(saved)-1]
	if cp.Batch != 2 || cp.Line != 3 {
		t.Fatalf("checkpoint %+v, want batch 2 at line 3", cp)
	}
	// The failing batch is fixed; what precedes the checkpoint is not touched.
	os.WriteFile(path, []byte(strings.Replace(script, "RAISERROR('fails until fixed', 16, 1)", "PRINT 'batch 3'", 1)), 0o644)
	opt.Resume = &cp
	r = runScript(t, tg, opt)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := printed(r.out); got != "3,4" {
		t.Errorf("resumed run printed %q, want only batches 3 and 4", got)
	}
	if r.sum.Skipped != 2 || r.sum.Executed != 2 {
		t.Errorf("summary %+v", r.sum)
	}
	// A script changed before the checkpoint is refused.
	os.WriteFile(path, []byte(strings.Replace(script, "batch 1", "batch one", 1)), 0o644)
	r = runScript(t, tg, opt)
	if r.err == nil || !strings.Contains(r.err.Error(), "differs") || r.out != "" {
		t.Errorf("changed script: error %v, output %q", r.err, r.out)
	}
}

func testScriptErrorsStopBeforeAnythingIsSent(t *testing.T, tg target) {
	cases := map[string]struct {
		script string
		kind   error
	}{
		"unsupported": {"PRINT 'batch 1'\nGO\n:connect other\nPRINT 'batch 2'\n", ErrUnsupported},
		"undefined":   {"PRINT 'batch 1'\nGO\nPRINT '$(NotSet)'\n", batch.ErrUndefinedVariable},
		"bad go":      {"PRINT 'batch 1'\nGO\nGO 2 3\n", batch.ErrSyntax},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			connected := false
			tg := tg
			inner := tg.connect
			tg.connect = func(ctx context.Context) (Executor, error) { connected = true; return inner(ctx) }
			r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, c.script)}})
			var pe *position.Error
			if !errors.As(r.err, &pe) || pe.Line != 3 || !errors.Is(r.err, c.kind) {
				t.Fatalf("error %v, want a script error of kind %v on line 3", r.err, c.kind)
			}
			if connected || r.out != "" {
				t.Errorf("connected %v, output %q: something ran before the script error was found", connected, r.out)
			}
		})
	}
}

func testExitQueryAndVars(t *testing.T, tg target) {
	script := ":setvar Who world\nPRINT 'batch $(Who)'\n:exit(SELECT 3 AS rc)\nPRINT 'batch never'\n"
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := printed(r.out); got != "world" {
		t.Errorf("printed %q", got)
	}
	if r.sum.ExitValue == nil || *r.sum.ExitValue != 3 {
		t.Errorf("exit value %v, want 3", r.sum.ExitValue)
	}
}

// testErrorSeverityAndLevel: -V raises the severity that fails a batch, -m
// hides error messages below a severity.
func testErrorSeverityAndLevel(t *testing.T, tg target) {
	script := "RAISERROR('minor', 12, 1)\nGO\nPRINT 'batch 2'\n"
	r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}, ExitOnError: true, ErrorSeverity: 13,
		Format: Format{ErrorLevel: 13}})
	if r.err != nil || printed(r.out) != "2" || r.sum.Failed != 0 {
		t.Errorf("-V 13: error %v, printed %q, summary %+v", r.err, printed(r.out), r.sum)
	}
	if strings.Contains(r.errOut, "minor") {
		t.Errorf("-m 13 printed a severity 12 message: %q", r.errOut)
	}
	r = runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}, ExitOnError: true})
	var be *BatchError
	if !errors.As(r.err, &be) || !strings.Contains(r.errOut, "minor") {
		t.Errorf("without -V: error %v, stderr %q", r.err, r.errOut)
	}
}

// stubExecutor is an Executor without a server, for what the wire adds nothing to.
type stubExecutor struct{ sent []string }

func (s *stubExecutor) Exec(ctx context.Context, sql string, res Results) error {
	s.sent = append(s.sent, sql)
	if err := ctx.Err(); err != nil {
		return err
	}
	res.RowsAffected(1)
	return nil
}

func TestProgressAndMultipleFiles(t *testing.T) {
	a := writeScript(t, ":setvar T users\nINSERT $(T) VALUES (1)\nGO\n")
	b := writeScript(t, "INSERT $(T) VALUES (2)\nGO\nINSERT $(T) VALUES (3)")
	ex := &stubExecutor{}
	var progress []Progress
	sum, err := Run(context.Background(), RunOptions{Files: []string{a, b},
		Connect: func(context.Context) (Executor, error) { return ex, nil },
		Progress: func(p Progress) {
			if !p.Checking {
				progress = append(progress, p)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ex.sent, "|") != "INSERT users VALUES (1)\n|INSERT users VALUES (2)\n|INSERT users VALUES (3)" {
		t.Errorf("sent %q: :setvar of the first file must hold in the second", ex.sent)
	}
	if sum.Batches != 3 || len(progress) != 3 || progress[2].Batch != 3 || progress[2].Batches != 3 {
		t.Errorf("summary %+v, progress %+v", sum, progress)
	}
	fa, _ := os.Stat(a)
	fb, _ := os.Stat(b)
	if last := progress[2].Bytes; last != fa.Size()+fb.Size() {
		t.Errorf("progress ends at %d bytes, the files have %d", last, fa.Size()+fb.Size())
	}
}

func TestInterruptedRunKeepsCheckpoint(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ex := &stubExecutor{}
	var saved []Checkpoint
	n := 0
	_, err := Run(ctx, RunOptions{Files: []string{writeScript(t, "SELECT 1\nGO\nSELECT 2\nGO\nSELECT 3\nGO\n")},
		Connect:         func(context.Context) (Executor, error) { return ex, nil },
		CheckpointEvery: 1 << 62,
		Checkpoint:      func(c Checkpoint) error { saved = append(saved, c); return nil },
		Progress: func(p Progress) {
			if p.Checking {
				return
			}
			if n++; n == 2 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if len(saved) == 0 || saved[len(saved)-1].Batch != 2 {
		t.Fatalf("checkpoints %+v, want the last one at batch 2", saved)
	}
}

var _ io.Writer = (*bytes.Buffer)(nil)

// printExecutor answers each batch with its text as a PRINT message.
type printExecutor struct{}

func (printExecutor) Exec(ctx context.Context, sql string, res Results) error {
	res.Message(Message{Text: strings.TrimSpace(sql)})
	return nil
}

func TestOutRedirectAndListvar(t *testing.T) {
	dir := t.TempDir()
	outFile := filepath.Join(dir, "out.txt")
	script := writeScript(t, "SELECT 1\nGO\n:out "+outFile+"\n:setvar Z last\n:listvar\nSELECT 2\nGO\n:out stdout\nSELECT 3\n")
	var out bytes.Buffer
	_, err := Run(context.Background(), RunOptions{Files: []string{script}, Out: &out, Vars: map[string]string{"A": `x"y`},
		Connect:    func(context.Context) (Executor, error) { return printExecutor{}, nil },
		OpenOutput: func(name string) (io.WriteCloser, error) { return os.Create(name) }})
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != "SELECT 1\nSELECT 3\n" {
		t.Errorf("stdout %q", out.String())
	}
	data, _ := os.ReadFile(outFile)
	if string(data) != "A = \"x\"y\"\nZ = \"last\"\nSELECT 2\n" {
		t.Errorf(":out file %q", data)
	}
	// Without OpenOutput, :out FILE is refused before anything runs.
	out.Reset()
	_, err = Run(context.Background(), RunOptions{Files: []string{script}, Out: &out,
		Connect: func(context.Context) (Executor, error) { return printExecutor{}, nil }})
	if out.Len() > 0 {
		t.Errorf("batches ran before the refusal: %q", out.String())
	}
	var pe *position.Error
	if !errors.As(err, &pe) || pe.Line != 3 || !errors.Is(err, ErrUnsupported) {
		t.Errorf("error %v, want a refusal at line 3", err)
	}
}

// blockingExecutor never answers: only the context ends a batch.
type blockingExecutor struct{}

func (blockingExecutor) Exec(ctx context.Context, sql string, res Results) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestQueryTimeoutFailsTheBatch(t *testing.T) {
	script := writeScript(t, "WAITFOR DELAY '01:00'\nGO\nSELECT 2\nGO\n")
	var errOut bytes.Buffer
	sum, err := Run(context.Background(), RunOptions{Files: []string{script}, QueryTimeout: time.Millisecond, ErrOut: &errOut,
		Connect: func(context.Context) (Executor, error) { return blockingExecutor{}, nil }})
	if err != nil || sum.Failed != 2 || !strings.Contains(errOut.String(), "Query timeout expired") {
		t.Fatalf("error %v, summary %+v, stderr %q", err, sum, errOut.String())
	}
	_, err = Run(context.Background(), RunOptions{Files: []string{script}, QueryTimeout: time.Millisecond, ExitOnError: true,
		Connect: func(context.Context) (Executor, error) { return blockingExecutor{}, nil }})
	var be *BatchError
	if !errors.As(err, &be) || be.Ordinal != 1 {
		t.Fatalf("with -b: error %v, want a stop at batch 1", err)
	}
}

// rowsExecutor answers with a result set of n rows.
type rowsExecutor struct{ n int }

func (e rowsExecutor) Exec(ctx context.Context, sql string, res Results) error {
	res.ResultSet([]Column{{Name: "id", Type: "INT"}, {Name: "name", Type: "NVARCHAR", Length: 4}})
	for i := 1; i <= e.n; i++ {
		name := any("x")
		if i == 2 {
			name = nil
		}
		res.Row([]any{i, name})
	}
	res.RowsAffected(int64(e.n))
	return nil
}

func TestLargeResultSetStreams(t *testing.T) {
	var out bytes.Buffer
	_, err := Run(context.Background(), RunOptions{Files: []string{writeScript(t, "SELECT id, name FROM t\n")}, Out: &out,
		Format:  DefaultFormat,
		Connect: func(context.Context) (Executor, error) { return rowsExecutor{n: 1500}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	head := []string{"id          name", "----------- ----", "          1 x   ", "          2 NULL"}
	for i, want := range head {
		if lines[i] != want {
			t.Errorf("line %d: %q, want %q", i+1, lines[i], want)
		}
	}
	if strings.Count(out.String(), "id ") != 1 {
		t.Error("the headings are repeated without -h")
	}
	if n := len(lines); lines[n-2] != "(1500 rows affected)" || lines[1501] != "       1500 x   " {
		t.Errorf("table tail: %q %q", lines[1501], lines[n-2])
	}
}

// TestResultLayout checks sqlcmd's layout of result sets: widths by type,
// right-aligned numbers, NULL, binary, GUIDs, dates, and -h, -s, -W, -w, -y,
// -Y, -k.
func TestResultLayout(t *testing.T) {
	cols := []Column{{Name: "n", Type: "INT"}, {Name: "name", Type: "NVARCHAR", Length: 6}, {Name: "bin", Type: "VARBINARY", Length: 2},
		{Name: "g", Type: "UNIQUEIDENTIFIER"}, {Name: "d", Type: "DATETIME2", Scale: 3}, {Name: "m", Type: "DECIMAL", Precision: 5, Scale: 2},
		{Name: "big", Type: "NVARCHAR", Length: 1 << 30}}
	g := []byte{0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF}
	when := time.Date(2024, 2, 29, 13, 5, 9, 120_000_000, time.UTC)
	rows := [][]any{
		{1, "ab\tc", []byte{0x0A, 0xFF}, g, when, []byte("3.14"), strings.Repeat("y", 300)},
		{nil, nil, nil, nil, nil, nil, nil},
	}
	layout := func(f Format) string {
		var out bytes.Buffer
		p := &printer{out: &out, messages: &out, errOut: &out, format: f, failAt: 11}
		p.ResultSet(cols)
		for _, r := range rows {
			p.Row(r)
		}
		p.RowsAffected(2)
		return out.String()
	}
	y := strings.Repeat("y", 256)
	want := "n           name   bin    g                                    d                       m       big" + strings.Repeat(" ", 253) + "\n" +
		"----------- ------ ------ ------------------------------------ ----------------------- ------- " + strings.Repeat("-", 256) + "\n" +
		"          1 ab\tc   0x0AFF 00112233-4455-6677-8899-AABBCCDDEEFF 2024-02-29 13:05:09.120    3.14 " + y + "\n" +
		"       NULL NULL   NULL   NULL                                 NULL                       NULL NULL" + strings.Repeat(" ", 252) + "\n" +
		"\n(2 rows affected)\n"
	if got := layout(DefaultFormat); got != want {
		t.Errorf("default layout:\n%s\nwant:\n%s", got, want)
	}
	f := DefaultFormat
	f.TrimSpaces, f.Separator, f.Headers, f.ControlChars, f.MaxVarWidth = true, ",", -1, 1, 3
	want = "1,ab c,0x0AFF,00112233-4455-6677-8899-AABBCCDDEEFF,2024-02-29 13:05:09.120,3.14,yyy\n" +
		"NULL,NULL,NULL,NULL,NULL,NULL,NUL\n\n(2 rows affected)\n"
	if got := layout(f); got != want {
		t.Errorf("-W -s , -h -1 -k -y 3:\n%q\nwant\n%q", got, want)
	}
	f = Format{Headers: 1, MaxFixedWidth: 2, MaxVarWidth: 256}
	// Headings before the rows and again after every row; columns limited
	// to 2 characters, or their name's width.
	if got := layout(f); strings.Count(got, "----------- ---- ---") != 3 || !strings.Contains(got, "\n          1 ab\tc 0x0 ") {
		t.Errorf("-h 1 -Y 2:\n%s", got)
	}
	f = Format{Width: 40, MaxVarWidth: 256}
	for _, line := range strings.Split(layout(f), "\n") {
		if len([]rune(line)) > 40 {
			t.Errorf("-w 40: line of %d characters", len([]rune(line)))
		}
	}
}

// countingFailer fails every batch and counts the executions.
type countingFailer struct{ n int }

func (c *countingFailer) Exec(ctx context.Context, sql string, res Results) error {
	c.n++
	res.Message(Message{Number: 1, Class: 16, State: 1, Text: "no"})
	return nil
}

func TestGoCountStopsAtFirstErrorWithB(t *testing.T) {
	for _, b := range []bool{false, true} {
		ex := &countingFailer{}
		Run(context.Background(), RunOptions{Files: []string{writeScript(t, "INSERT t DEFAULT VALUES\nGO 5\n")}, ExitOnError: b,
			Connect: func(context.Context) (Executor, error) { return ex, nil }})
		if want := map[bool]int{false: 5, true: 1}[b]; ex.n != want {
			t.Errorf("-b %v: GO 5 executed %d times, want %d", b, ex.n, want)
		}
	}
}

// failingFile is an :out file whose writes fail, as on a full disk.
type failingFile struct{ closed bool }

func (f *failingFile) Write(p []byte) (int, error) { return 0, errors.New("no space left on device") }
func (f *failingFile) Close() error {
	f.closed = true
	return errors.New("not committed: a write failed")
}

// TestOutFileErrorFailsRun: an :out file that could not be written is an
// error of the run, whether the script switches away from it or ends.
func TestOutFileErrorFailsRun(t *testing.T) {
	for name, tail := range map[string]string{"at the end": "", "on the next :out": "\n:out stdout\nSELECT 3\nGO\n"} {
		t.Run(name, func(t *testing.T) {
			script := writeScript(t, ":out full.txt\nSELECT 2\nGO\n"+tail)
			f := &failingFile{}
			_, err := Run(context.Background(), RunOptions{Files: []string{script}, Out: io.Discard,
				Connect:    func(context.Context) (Executor, error) { return printExecutor{}, nil },
				OpenOutput: func(string) (io.WriteCloser, error) { return f, nil }})
			if err == nil || !strings.Contains(err.Error(), "no space left") {
				t.Errorf("Run = %v, want the write error", err)
			}
			if !f.closed {
				t.Error("the :out file was not closed")
			}
		})
	}
}
