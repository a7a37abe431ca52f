package mssql

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xdm-migrate/xdm/sql/batch"
)

// Executor sends one batch to a server and reports everything the server
// answers to res, in order. Server errors are Messages of class 11 or more,
// not an error return: Exec returns an error only when the batch could not be
// run at all (connection lost, context cancelled or timed out).
type Executor interface {
	Exec(ctx context.Context, sql string, res Results) error
}

// Results receives what a batch produces.
type Results interface {
	Message(m Message)          // PRINT output, informational messages, errors
	ResultSet(columns []string) // a result set begins
	Row(values []any)           // a row of the current result set
	RowsAffected(n int64)       // "(n rows affected)"
}

// Message is a message from the server (an INFO or ERROR token).
type Message struct {
	Number int32
	Class  uint8 // severity: 0-10 information, 11 and more an error
	State  uint8
	Text   string
	Server string
	Proc   string
	Line   int32 // line in the batch, from 1
}

// IsError reports whether m fails the batch: severity 11 or higher, as sqlcmd counts it.
func (m Message) IsError() bool { return m.Class >= 11 }

// RunOptions are the settings of Run. The zero value of every field but
// Files and Connect works.
type RunOptions struct {
	// Files are the scripts (-i), run in order; a batch never spans two.
	Files []string
	// Open opens a script or a file named by :r. Nil: os.Open, with the
	// encoding detected from a byte order mark, else UTF-8.
	Open func(name string) (io.ReadCloser, error)
	// Vars are the scripting variables before the first script (-v,
	// environment); NoSubstitution is sqlcmd -x.
	Vars           map[string]string
	NoSubstitution bool

	// Connect is called once, after the whole script was read and found
	// valid, and before the first batch is sent.
	Connect func(ctx context.Context) (Executor, error)
	// ExitOnError is sqlcmd -b: stop at the first batch with an error, as
	// :on error exit does. :on error ignore and exit switch it mid-script.
	ExitOnError bool
	// QueryTimeout limits each execution of a batch (-t); 0: no limit.
	QueryTimeout time.Duration

	// Out receives result sets, PRINT output and messages of severity
	// 10 or less; ErrOut error messages. Nil discards.
	Out, ErrOut io.Writer
	// NoResults drops result sets (the "(n rows affected)" lines stay).
	NoResults bool
	// OpenOutput opens the file named by :out or :error. Nil refuses them.
	OpenOutput func(name string) (io.WriteCloser, error)

	// Resume continues after the batch a checkpoint names, once the script
	// read up to it hashes to the checkpoint's hash.
	Resume *Checkpoint
	// Checkpoint, if set, is called after a batch completed, at most once
	// every CheckpointEvery (0: after every batch), and once more when the
	// run stops for any reason.
	Checkpoint      func(Checkpoint) error
	CheckpointEvery time.Duration

	// Progress, if set, is called after each batch of the check before the
	// run (Checking true) and after each batch of the run.
	Progress func(Progress)
}

// Progress is the state of a run after a batch.
type Progress struct {
	// Checking is true while the scripts are read before connecting;
	// Batches is 0 then.
	Checking bool
	Bytes    int64 // script bytes read, all files
	Batch    int   // ordinal of the batch just done (over all files)
	Batches  int   // batches in all files (known from the check before the run)
}

// Summary is the outcome of a run.
type Summary struct {
	Batches  int // batches in the scripts
	Executed int // batches sent (a GO count of n counts once)
	Skipped  int // batches skipped by Resume
	Failed   int // batches that reported an error
	// ExitValue is the number :exit(query) returned, if it ran.
	ExitValue *int
}

// BatchError is the reason a run stopped at a failed batch: an error message
// with -b or :on error exit in effect, or state 127.
type BatchError struct {
	File    string
	Line    int64 // file line of the batch's first line
	Ordinal int
	Msg     Message
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("%s:%d: batch %d failed: Msg %d, Level %d, State %d, Line %d: %s",
		e.File, e.Line+int64(max(e.Msg.Line, 1))-1, e.Ordinal, e.Msg.Number, e.Msg.Class, e.Msg.State, e.Msg.Line, e.Msg.Text)
}

// unsupported are the sqlcmd commands xdm does not carry out; a script
// holding one is refused before anything is sent.
var unsupported = map[string]string{
	"connect": "xdm runs a script on one connection (give it with -S)",
	"ed":      "there is no editor in a batch run", "!!": "xdm does not run shell commands",
	"serverlist": "xdm does not list servers", "xml": "XML output mode is not supported",
	"perftrace": "timing output is not supported", "help": "not in a script",
	"list": "not in a script",
}

// errStop ends a walk early without an error (:exit, :quit).
var errStop = errors.New("stop")

// step is one batch or command as walk hands it to its visitor.
type step struct {
	item    batch.Item
	ordinal int // over all files
	rd      *batch.Reader
	digest  hash.Hash
	bytes   int64 // bytes read before the current file
}

// sum is the hash of the script read so far; walk keeps one only when
// RunOptions.Checkpoint or Resume is set.
func (s *step) sum() string { return hex.EncodeToString(s.digest.Sum(nil)) }

func (s *step) read() int64 { return s.bytes + s.rd.InputOffset() }

// walk reads the scripts in the normal mode and calls visit for every batch
// and command, in order. Script errors go to onError, which returns nil to go
// on. visit returning errStop ends the walk early.
func walk(ctx context.Context, opt *RunOptions, onError func(error) error, visit func(*step) error) error {
	open := opt.Open
	if open == nil {
		open = openDecoded
	}
	vars := opt.Vars
	st := &step{}
	var digest io.Writer
	if opt.Checkpoint != nil || opt.Resume != nil {
		st.digest = sha256.New()
		digest = st.digest
	}
	for _, name := range opt.Files {
		f, err := open(name)
		if err != nil {
			return err
		}
		st.rd = batch.NewReader(f, batch.Options{Name: name, Vars: vars, NoSubstitution: opt.NoSubstitution,
			Open: open, Digest: digest})
		err = walkFile(ctx, st, onError, visit)
		st.bytes += st.rd.InputOffset()
		vars = map[string]string{}
		for _, v := range st.rd.Vars() {
			vars[v.Name] = v.Value
		}
		st.rd.Close()
		f.Close()
		if err == errStop {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func walkFile(ctx context.Context, st *step, onError func(error) error, visit func(*step) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := st.rd.Read()
		if err == io.EOF {
			return nil
		}
		var be *batch.Error
		if errors.As(err, &be) {
			if err := onError(err); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if it.Kind == batch.Batch {
			st.ordinal++
		}
		st.item = it
		if err := visit(st); err != nil {
			return err
		}
	}
}

func openDecoded(name string) (io.ReadCloser, error) {
	rc, _, err := batch.OpenFile(name, 0)
	return rc, err
}

// maxReported is how many script errors Check reports before it gives up.
const maxReported = 20

// PlannedBatch is a batch as Plan finds it.
type PlannedBatch struct {
	File    string
	Line    int64
	Ordinal int // over all files
	Repeat  int
	SQL     []byte // valid during the callback only
}

// Plan reads the scripts as Run would, without connecting, and calls batchFn
// for every batch that would be sent and errFn for every script error (bad
// GO, undefined variable, unsupported command, unreadable :r file). A
// non-nil return from either ends Plan with that error.
func Plan(ctx context.Context, opt RunOptions, batchFn func(PlannedBatch) error, errFn func(error) error) error {
	opt.Checkpoint, opt.Resume = nil, nil // no hashing
	return walk(ctx, &opt, errFn, func(st *step) error {
		it := st.item
		if it.Kind == batch.Command {
			err := checkCommand(it)
			if err != nil && err != errStop {
				return errFn(err)
			}
			return err
		}
		return batchFn(PlannedBatch{File: it.File, Line: it.Line, Ordinal: st.ordinal, Repeat: it.Repeat, SQL: it.SQL})
	})
}

// checkCommand refuses the commands xdm does not carry out and reports
// errStop for the ones that end the script.
func checkCommand(it batch.Item) error {
	if why, ok := unsupported[it.Name]; ok {
		return &batch.Error{File: it.File, Line: it.Line, Msg: fmt.Sprintf("sqlcmd command %s is not supported: %s", commandName(it.Name), why), Err: batch.ErrSyntax}
	}
	switch it.Name {
	case "on error":
		switch strings.ToLower(it.Args) {
		case "exit", "ignore":
		default:
			return &batch.Error{File: it.File, Line: it.Line, Msg: fmt.Sprintf(":on error expects exit or ignore, found %q", it.Args), Err: batch.ErrSyntax}
		}
	case "exit":
		if it.Args != "" && (it.Args[0] != '(' || it.Args[len(it.Args)-1] != ')') {
			return &batch.Error{File: it.File, Line: it.Line, Msg: fmt.Sprintf(":exit expects nothing, () or (query), found %q", it.Args), Err: batch.ErrSyntax}
		}
		return errStop
	case "quit":
		return errStop
	case "out", "error":
		if it.Args == "" {
			return &batch.Error{File: it.File, Line: it.Line, Msg: fmt.Sprintf(":%s expects stdout, stderr or a file name", it.Name), Err: batch.ErrSyntax}
		}
	}
	return nil
}

func commandName(name string) string {
	if name == "!!" {
		return "!!"
	}
	return ":" + name
}

// check is the pass before a run: the whole script must be valid, and a
// checkpoint to resume from must match it. It returns the number of batches.
func check(ctx context.Context, opt *RunOptions) (int, error) {
	var errs []error
	total := 0
	resumeSeen := opt.Resume == nil
	err := walk(ctx, opt, func(err error) error {
		errs = append(errs, err)
		if len(errs) >= maxReported {
			return errors.Join(errs...)
		}
		return nil
	}, func(st *step) error {
		if st.item.Kind == batch.Command {
			err := checkCommand(st.item)
			if err == nil && opt.OpenOutput == nil && (st.item.Name == "out" || st.item.Name == "error") && !isStdStream(st.item.Args) {
				err = &batch.Error{File: st.item.File, Line: st.item.Line, Msg: fmt.Sprintf(":%s %s: writing to files is not enabled", st.item.Name, st.item.Args), Err: batch.ErrSyntax}
			}
			if err != nil && err != errStop {
				errs = append(errs, err)
				return nil
			}
			return err
		}
		total = st.ordinal
		if opt.Progress != nil {
			opt.Progress(Progress{Checking: true, Bytes: st.read(), Batch: st.ordinal})
		}
		if !resumeSeen && st.ordinal == opt.Resume.Batch {
			if sum := st.sum(); sum != opt.Resume.SHA256 {
				return fmt.Errorf("cannot resume: the script up to batch %d (%s:%d) differs from the one the checkpoint was written for", st.ordinal, st.item.File, st.item.Line)
			}
			resumeSeen = true
		}
		return nil
	})
	if len(errs) > 0 {
		return 0, errors.Join(errs...)
	}
	if err != nil {
		return 0, err
	}
	if !resumeSeen {
		return 0, fmt.Errorf("cannot resume: the checkpoint names batch %d, the script has %d", opt.Resume.Batch, total)
	}
	return total, nil
}

// Run executes the scripts batch by batch with sqlcmd's semantics. It first
// reads them completely without connecting: a script error (bad GO,
// undefined variable, unsupported command) stops the run before anything is
// sent. A server error of severity 11 or more fails its batch; the run goes
// on unless ExitOnError or :on error exit is in effect, or the message's
// state is 127, and then returns a *BatchError.
func Run(ctx context.Context, opt RunOptions) (Summary, error) {
	total, err := check(ctx, &opt)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Batches: total}
	if opt.Connect == nil {
		return sum, errors.New("mssql.Run: no Connect function")
	}
	ex, err := opt.Connect(ctx)
	if err != nil {
		return sum, err
	}
	r := &runner{ctx: ctx, opt: &opt, ex: ex, sum: &sum, total: total, exitOnError: opt.ExitOnError}
	_ = r.setOut(orDiscard(opt.Out), nil)
	_ = r.setErrOut(orDiscard(opt.ErrOut), nil)
	err = walk(ctx, &opt, func(err error) error { return err }, r.visit)
	if cerr := r.saveCheckpoint(); err == nil && cerr != nil {
		err = cerr
	}
	// A file of :out or :error that could not be written in full (a full
	// disk) is an error of the run: its file is then not put in place.
	if cerr := r.closeRedirects(); err == nil && cerr != nil {
		err = cerr
	}
	return sum, err
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

type runner struct {
	ctx         context.Context
	opt         *RunOptions
	ex          Executor
	sum         *Summary
	total       int
	exitOnError bool
	out, errOut io.Writer      // buffered; flushed after each batch
	outBuf      *bufio.Writer  // what out is
	errBuf      *bufio.Writer  // what errOut is
	outFile     io.WriteCloser // :out FILE
	errFile     io.WriteCloser // :error FILE

	done      Checkpoint // last completed batch
	saved     int        // done.Batch when last saved
	lastSaved time.Time
}

func (r *runner) visit(st *step) error {
	defer r.flush()
	it := st.item
	if it.Kind == batch.Command {
		return r.command(st)
	}
	if r.opt.Resume != nil && st.ordinal <= r.opt.Resume.Batch {
		r.sum.Skipped++
		return r.completed(st)
	}
	r.sum.Executed++
	failed, stop, err := r.execute(r.ctx, st, string(it.SQL), it.Repeat)
	if err != nil {
		return err
	}
	if failed != nil {
		r.sum.Failed++
		if stop {
			return &BatchError{File: it.File, Line: it.Line, Ordinal: st.ordinal, Msg: *failed}
		}
	}
	return r.completed(st)
}

// execute runs sql repeat times and returns the first error message.
func (r *runner) execute(ctx context.Context, st *step, sql string, repeat int) (failed *Message, stop bool, err error) {
	p := &printer{out: r.out, errOut: r.errOut, noResults: r.opt.NoResults, file: st.item.File, line: st.item.Line}
	for i := 0; i < repeat; i++ {
		bctx, cancel := ctx, context.CancelFunc(func() {})
		if r.opt.QueryTimeout > 0 {
			bctx, cancel = context.WithTimeout(ctx, r.opt.QueryTimeout)
		}
		err := r.ex.Exec(bctx, sql, p)
		timedOut := err != nil && ctx.Err() == nil && errors.Is(bctx.Err(), context.DeadlineExceeded)
		cancel()
		if err != nil && ctx.Err() != nil {
			return nil, true, ctx.Err()
		}
		if timedOut {
			p.Message(Message{Class: 16, Text: fmt.Sprintf("Query timeout expired after %s", r.opt.QueryTimeout)})
			err = nil
		}
		if err != nil {
			return nil, true, fmt.Errorf("%s:%d: batch %d: %w", st.item.File, st.item.Line, st.ordinal, err)
		}
		if p.state127 || (p.failed != nil && r.exitOnError) {
			break // the run stops: no more repetitions
		}
	}
	p.flush()
	if p.failed == nil {
		return nil, false, nil
	}
	return p.failed, r.exitOnError || p.state127, nil
}

// completed records batch st as done and saves a checkpoint when due. A
// checkpoint that cannot be written stops the run: resuming must not repeat
// batches.
func (r *runner) completed(st *step) error {
	r.flush() // output before progress, as it happened
	if r.opt.Progress != nil {
		r.opt.Progress(Progress{Bytes: st.read(), Batch: st.ordinal, Batches: r.total})
	}
	if r.opt.Checkpoint == nil {
		return nil
	}
	r.done = Checkpoint{Files: r.opt.Files, Batch: st.ordinal, File: st.item.File, Line: st.item.Line, SHA256: st.sum()}
	if time.Since(r.lastSaved) < r.opt.CheckpointEvery {
		return nil
	}
	return r.saveCheckpoint()
}

// saveCheckpoint passes the last completed batch to Checkpoint unless it did already.
func (r *runner) saveCheckpoint() error {
	if r.opt.Checkpoint == nil || r.done.Batch == 0 || r.done.Batch == r.saved {
		return nil
	}
	r.done.Time = time.Now().UTC()
	r.saved, r.lastSaved = r.done.Batch, time.Now()
	if err := r.opt.Checkpoint(r.done); err != nil {
		return fmt.Errorf("writing the checkpoint after batch %d: %w", r.done.Batch, err)
	}
	return nil
}

func (r *runner) command(st *step) error {
	it := st.item
	if err := checkCommand(it); err != nil && err != errStop {
		return err
	}
	switch it.Name {
	case "on error":
		r.exitOnError = strings.EqualFold(it.Args, "exit")
	case "quit":
		return errStop
	case "exit":
		if len(it.Args) > 2 { // :exit(query)
			return r.exitQuery(st, it.Args[1:len(it.Args)-1])
		}
		return errStop
	case "listvar":
		for _, v := range st.rd.Vars() {
			fmt.Fprintf(r.out, "%s = \"%s\"\n", v.Name, strings.ReplaceAll(v.Value, `"`, `""`))
		}
	case "out", "error":
		return r.redirect(it)
	}
	return nil
}

// exitQuery runs the query of :exit(query) and keeps the first column of its
// first row as the exit value.
func (r *runner) exitQuery(st *step, query string) error {
	p := &printer{out: r.out, errOut: r.errOut, noResults: r.opt.NoResults, file: st.item.File, line: st.item.Line, wantValue: true}
	if err := r.ex.Exec(r.ctx, query, p); err != nil {
		return fmt.Errorf("%s:%d: :exit(%s): %w", st.item.File, st.item.Line, query, err)
	}
	p.flush()
	if p.failed != nil {
		return &BatchError{File: st.item.File, Line: st.item.Line, Ordinal: st.ordinal, Msg: *p.failed}
	}
	if p.value != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(fmt.Sprint(p.value))); err == nil {
			r.sum.ExitValue = &n
		}
	}
	return errStop
}

func (r *runner) redirect(it batch.Item) error {
	name := batch.ParseFileArg(it.Args)
	var w io.Writer
	var file io.WriteCloser
	switch strings.ToLower(name) {
	case "stdout":
		w = orDiscard(r.opt.Out)
	case "stderr":
		w = orDiscard(r.opt.ErrOut)
	default:
		if r.opt.OpenOutput == nil {
			return &batch.Error{File: it.File, Line: it.Line, Msg: fmt.Sprintf(":%s %s: writing to files is not enabled", it.Name, name)}
		}
		f, err := r.opt.OpenOutput(name)
		if err != nil {
			return &batch.Error{File: it.File, Line: it.Line, Msg: fmt.Sprintf(":%s %s: %v", it.Name, name, err), Err: err}
		}
		w, file = f, f
	}
	var err error
	if it.Name == "out" {
		err = r.setOut(w, file)
	} else {
		err = r.setErrOut(w, file)
	}
	if err != nil {
		return &batch.Error{File: it.File, Line: it.Line, Msg: fmt.Sprintf(":%s %s: the previous output: %v", it.Name, name, err), Err: err}
	}
	return nil
}

// setOut makes w (file, if it is one opened by :out) the output for results
// and messages, after flushing and closing the previous one. Writes are
// buffered: a PRINT or "(1 row affected)" per statement would otherwise
// cost a system call each.
// It returns the error of flushing or closing the previous output.
func (r *runner) setOut(w io.Writer, file io.WriteCloser) error {
	err := flushAndClose(r.outBuf, r.outFile)
	r.outBuf, r.outFile = bufio.NewWriterSize(w, 64<<10), file
	r.out = r.outBuf
	return err
}

// setErrOut is setOut for error messages (:error).
func (r *runner) setErrOut(w io.Writer, file io.WriteCloser) error {
	err := flushAndClose(r.errBuf, r.errFile)
	r.errBuf, r.errFile = bufio.NewWriterSize(w, 64<<10), file
	r.errOut = r.errBuf
	return err
}

// flushAndClose flushes buf, if any, and closes file, if any (committing a
// file of :out or :error); it returns the first error.
func flushAndClose(buf *bufio.Writer, file io.Closer) error {
	var err error
	if buf != nil {
		err = buf.Flush()
	}
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// flush writes what the last batch or command printed.
func (r *runner) flush() {
	r.outBuf.Flush()
	r.errBuf.Flush()
}

func isStdStream(arg string) bool {
	name := strings.ToLower(batch.ParseFileArg(arg))
	return name == "stdout" || name == "stderr"
}

// closeRedirects flushes the outputs and closes the files of :out and
// :error; it returns the first error.
func (r *runner) closeRedirects() error {
	err := flushAndClose(r.outBuf, r.outFile)
	if eerr := flushAndClose(r.errBuf, r.errFile); err == nil {
		err = eerr
	}
	r.outFile, r.errFile = nil, nil
	return err
}
