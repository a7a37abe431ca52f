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
	fake    *tdsfake.Server
}

// targets returns the TDS test double and, with XDM_TEST_MSSQL_DSN, a real server.
func targets(t *testing.T) []target {
	srv, err := tdsfake.Start(fakeAnswer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	connectTo := func(dsn string) func(ctx context.Context) (Executor, error) {
		return func(ctx context.Context) (Executor, error) {
			db, err := Connect(ctx, ConnOptions{DSN: dsn})
			if err != nil {
				return nil, err
			}
			t.Cleanup(func() { db.Close() })
			return db, nil
		}
	}
	ts := []target{{name: "tdsfake", connect: connectTo(srv.DSN()), fake: srv}}
	if dsn := os.Getenv("XDM_TEST_MSSQL_DSN"); dsn != "" {
		ts = append(ts, target{name: "sqlserver", connect: connectTo(dsn)})
	}
	return ts
}

func TestRealServer(t *testing.T) {
	if os.Getenv("XDM_TEST_MSSQL_DSN") == "" {
		t.Skip("XDM_TEST_MSSQL_DSN not set: no SQL Server to test against")
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

func TestErrorWithoutBGoesOn(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
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
		})
	}
}

func TestExitOnErrorStops(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, threeBatches)}, ExitOnError: true})
			var be *BatchError
			if !errors.As(r.err, &be) || be.Ordinal != 2 || be.Line != 3 || be.Msg.Number != 50000 {
				t.Fatalf("error %v, want a BatchError for batch 2 at line 3", r.err)
			}
			if !strings.Contains(be.Error(), "script.sql:4:") {
				t.Errorf("error %q does not point at the RAISERROR line", be.Error())
			}
			if got := printed(r.out); got != "1,2,2 goes on" {
				t.Errorf("printed %q: batch 3 ran after the error", got)
			}
		})
	}
}

func TestOnErrorCommands(t *testing.T) {
	script := ":on error ignore\n" + threeBatches + "GO\n:on error exit\nRAISERROR('second', 11, 1)\nGO\nPRINT 'batch 4'\n"
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}, ExitOnError: true})
			var be *BatchError
			if !errors.As(r.err, &be) || be.Msg.Text != "second" {
				t.Fatalf("error %v, want the batch raising 'second'", r.err)
			}
			if got := printed(r.out); got != "1,2,2 goes on,3" {
				t.Errorf("printed %q", got)
			}
		})
	}
}

func TestState127AlwaysStops(t *testing.T) {
	script := "PRINT 'batch 1'\nRAISERROR('the end', 1, 127)\nGO\nPRINT 'batch 2'\n"
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}})
			var be *BatchError
			if !errors.As(r.err, &be) || be.Msg.State != 127 {
				t.Fatalf("error %v, want a stop at state 127", r.err)
			}
			if got := printed(r.out); got != "1" {
				t.Errorf("printed %q", got)
			}
		})
	}
}

func TestGoCountAndResultSet(t *testing.T) {
	script := "PRINT 'batch x'\nGO 3\nSELECT 42 AS answer\nGO\n"
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}})
			if r.err != nil {
				t.Fatal(r.err)
			}
			if got := printed(r.out); got != "x,x,x" {
				t.Errorf("GO 3 printed %q", got)
			}
			if !strings.Contains(r.out, "answer\n------\n42\n") || !strings.Contains(r.out, "(1 row affected)") {
				t.Errorf("result set not shown as a table:\n%s", r.out)
			}
			if r.sum.Executed != 2 {
				t.Errorf("summary %+v", r.sum)
			}
			r = runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}, NoResults: true})
			if strings.Contains(r.out, "answer") {
				t.Errorf("NoResults printed the result set:\n%s", r.out)
			}
		})
	}
}

func TestResumeAfterFailure(t *testing.T) {
	script := "PRINT 'batch 1'\nGO\nPRINT 'batch 2'\nGO\nRAISERROR('fails until fixed', 16, 1)\nGO\nPRINT 'batch 4'\n"
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
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
		})
	}
}

func TestScriptErrorsStopBeforeAnythingIsSent(t *testing.T) {
	cases := map[string]string{
		"unsupported": "PRINT 'batch 1'\nGO\n:connect other\nPRINT 'batch 2'\n",
		"undefined":   "PRINT 'batch 1'\nGO\nPRINT '$(NotSet)'\n",
		"bad go":      "PRINT 'batch 1'\nGO 2 3\n",
	}
	for _, tg := range targets(t) {
		for name, script := range cases {
			t.Run(tg.name+"/"+name, func(t *testing.T) {
				connected := false
				tg := tg
				inner := tg.connect
				tg.connect = func(ctx context.Context) (Executor, error) { connected = true; return inner(ctx) }
				r := runScript(t, tg, RunOptions{Files: []string{writeScript(t, script)}})
				var be *batch.Error
				if !errors.As(r.err, &be) || be.Line != 3 && be.Line != 2 {
					t.Fatalf("error %v, want a script error with its line", r.err)
				}
				if connected || r.out != "" {
					t.Errorf("connected %v, output %q: something ran before the script error was found", connected, r.out)
				}
			})
		}
	}
}

func TestExitQueryAndVars(t *testing.T) {
	script := ":setvar Who world\nPRINT 'batch $(Who)'\n:exit(SELECT 3 AS rc)\nPRINT 'batch never'\n"
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
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
		})
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
	if string(data) != "A = \"x\"\"y\"\nZ = \"last\"\nSELECT 2\n" {
		t.Errorf(":out file %q", data)
	}
	// Without OpenOutput, :out FILE is refused before anything runs.
	out.Reset()
	_, err = Run(context.Background(), RunOptions{Files: []string{script}, Out: &out,
		Connect: func(context.Context) (Executor, error) { return printExecutor{}, nil }})
	if out.Len() > 0 {
		t.Errorf("batches ran before the refusal: %q", out.String())
	}
	var be *batch.Error
	if !errors.As(err, &be) || be.Line != 3 {
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
	res.ResultSet([]string{"id", "name"})
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
		Connect: func(context.Context) (Executor, error) { return rowsExecutor{n: 1500}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if lines[0] != "id   name" || lines[1] != "---- ----" || lines[3] != "2    NULL" || strings.Count(out.String(), "id   name") != 1 {
		t.Errorf("table head:\n%s", strings.Join(lines[:4], "\n"))
	}
	if n := len(lines); lines[n-2] != "(1500 rows affected)" || lines[1501] != "1500 x" {
		t.Errorf("table tail: %q %q", lines[1501], lines[n-2])
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
