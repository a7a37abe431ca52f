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

	"github.com/xdm-migrate/xdm/position"
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
	ResultSet(columns []Column) // a result set begins
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

// IsError reports whether m is an error message: severity 11 or higher, as
// sqlcmd counts it.
func (m Message) IsError() bool { return m.Class >= 11 }

// ErrUnsupported is the kind of the script error for an sqlcmd command that
// xdm does not carry out (:connect, :ed, !!, ...).
var ErrUnsupported = errors.New("sqlcmd command not supported")

// ErrConnectCommand is the kind of the script error for :connect: a run
// has one connection, given in RunOptions. It matches ErrUnsupported.
var ErrConnectCommand = fmt.Errorf("%w: :connect", ErrUnsupported)

// QueryName is the file name of the query given as RunOptions.Query in
// items and errors.
const QueryName = "<-Q query>"

// RunOptions are the settings of Run. The zero value of every field but
// Files (or Query) and Connect works.
type RunOptions struct {
	// Files are the scripts (-i), run in order; a batch never spans two.
	Files []string
	// Query is a script given as text (-Q), run after the Files.
	Query string
	// Open opens a script or a file named by :r. Nil: os.Open, with the
	// encoding detected from a byte order mark, else UTF-8.
	Open func(name string) (io.ReadCloser, error)
	// Vars are the scripting variables before the first script (-v,
	// environment, sqlcmd's own such as SQLCMDHEADERS); Defaults the
	// values :setvar NAME resets built-in variables to. NoSubstitution is
	// sqlcmd -x.
	Vars           map[string]string
	Defaults       map[string]string
	NoSubstitution bool

	// Connect is called once, after the whole script was read and found
	// valid, and before the first batch is sent.
	Connect func(ctx context.Context) (Executor, error)
	// ExitOnError is sqlcmd -b: stop at the first failed batch, as :on
	// error exit does. :on error ignore and exit switch it mid-script.
	ExitOnError bool
	// ErrorSeverity is sqlcmd -V: a message fails its batch from this
	// severity on; 0 means 11, the first error severity.
	ErrorSeverity int
	// QueryTimeout limits each execution of a batch (-t); 0: no limit. The
	// variable SQLCMDSTATTIMEOUT, when set, overrides it.
	QueryTimeout time.Duration

	// Out receives result sets and row counts; Messages PRINT output and
	// informational messages; ErrOut error messages. Nil Messages and
	// ErrOut write to Out, as sqlcmd does without -r; nil Out discards.
	Out, Messages, ErrOut io.Writer
	// Format lays out result sets; the variables SQLCMDHEADERS,
	// SQLCMDCOLSEP, SQLCMDCOLWIDTH, SQLCMDMAXVARTYPEWIDTH,
	// SQLCMDMAXFIXEDTYPEWIDTH and SQLCMDERRORLEVEL override its fields at
	// each batch, as :setvar changes them.
	Format Format
	// NoResults drops result sets (the "(n rows affected)" lines stay).
	NoResults bool
	// Echo writes each batch to Out before it runs (sqlcmd -e).
	Echo bool
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
	// ExitValue is what :exit(query) returned, if it ran: the first column
	// of its last row as a number, -101 without rows, -102 when that value
	// is not a number, as in sqlcmd.
	ExitValue *int
}

// BatchError is the reason a run stopped at a failed batch: an error message
// with -b or :on error exit in effect, or state 127. Run returns it inside a
// *position.Error that names the script line the message points at.
type BatchError struct {
	Ordinal int // the batch, numbered over all scripts
	Msg     Message
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("batch %d failed: Msg %d, Level %d, State %d, Line %d: %s",
		e.Ordinal, e.Msg.Number, e.Msg.Class, e.Msg.State, e.Msg.Line, e.Msg.Text)
}

// batchFailure is the error Run returns for a failed batch.
func batchFailure(it batch.Item, ordinal int, m Message) error {
	return &position.Error{File: it.File, Line: it.Line + int64(max(m.Line, 1)) - 1, Offset: -1,
		Err: &BatchError{Ordinal: ordinal, Msg: m}}
}

// cause is the cause of a script error found here rather than in sql/batch.
type cause struct {
	kind error
	msg  string
}

func (c *cause) Error() string { return c.msg }
func (c *cause) Unwrap() error { return c.kind }

func scriptError(it batch.Item, kind error, format string, a ...any) error {
	return &position.Error{File: it.File, Line: it.Line, Offset: -1, Err: &cause{kind, fmt.Sprintf(format, a...)}}
}

// unsupported are the sqlcmd commands xdm does not carry out; a script
// holding one is refused before anything is sent.
var unsupported = map[string]string{
	"connect": "a run uses the one connection it was given",
	"ed":      "there is no editor in a batch run", "!!": "xdm does not run operating system commands",
	"serverlist": "xdm does not list servers", "xml": "XML output mode is not supported",
	"perftrace": "timing output is not supported", "help": "there is no interactive mode",
	"list": "there is no interactive mode",
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

// script is one input of a run: a file, or the -Q query.
type script struct {
	name string
	open func() (io.ReadCloser, error)
}

func scripts(opt *RunOptions, open func(string) (io.ReadCloser, error)) []script {
	var out []script
	for _, name := range opt.Files {
		out = append(out, script{name, func() (io.ReadCloser, error) { return open(name) }})
	}
	if opt.Query != "" {
		out = append(out, script{QueryName, func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(opt.Query)), nil
		}})
	}
	return out
}

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
	for _, sc := range scripts(opt, open) {
		f, err := sc.open()
		if err != nil {
			return err
		}
		st.rd = batch.NewReader(f, batch.Options{Name: sc.name, Vars: vars, Defaults: opt.Defaults,
			NoSubstitution: opt.NoSubstitution, Open: open, Digest: digest})
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
		// A problem of the script goes to onError and reading goes on; a
		// read error is final whatever its type (a decoder's or a pipe's
		// *position.Error too): the Reader would return it for ever.
		var pe *position.Error
		if errors.As(err, &pe) && !errors.Is(err, batch.ErrRead) && !errors.Is(err, batch.ErrEncoding) {
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
		if it.Exit {
			return errStop
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
	Exit    bool   // :exit(query): the run stops after it
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
			err := checkCommand(it, opt.OpenOutput != nil)
			if err != nil && err != errStop {
				return errFn(err)
			}
			return err
		}
		return batchFn(PlannedBatch{File: it.File, Line: it.Line, Ordinal: st.ordinal, Repeat: it.Repeat, Exit: it.Exit, SQL: it.SQL})
	})
}

// checkCommand refuses the commands xdm does not carry out and reports
// errStop for the ones that end the script.
func checkCommand(it batch.Item, filesEnabled bool) error {
	if why, ok := unsupported[it.Name]; ok {
		name := ":" + it.Name
		if it.Name == "!!" {
			name = "!!"
		}
		kind := ErrUnsupported
		if it.Name == "connect" {
			kind = ErrConnectCommand
		}
		return scriptError(it, kind, "sqlcmd command %s is not supported: %s", name, why)
	}
	switch it.Name {
	case "exit", "quit":
		return errStop
	case "out", "error":
		if !filesEnabled && !isStdStream(it.Args) {
			return scriptError(it, ErrUnsupported, ":%s %s: writing to files is not enabled", it.Name, it.Args)
		}
	}
	return nil
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
			err := checkCommand(st.item, opt.OpenOutput != nil)
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
		if err != nil && len(errs) < maxReported {
			errs = append(errs, err)
		}
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
// sent. A message of severity 11 or more (ErrorSeverity) fails its batch;
// the run goes on unless ExitOnError or :on error exit is in effect, or the
// message's state is 127, and then returns a *BatchError inside a
// *position.Error.
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
	r.out = bufio.NewWriterSize(orDiscard(opt.Out), 64<<10)
	if opt.Messages != nil {
		r.msgFixed = bufio.NewWriterSize(opt.Messages, 64<<10)
	}
	if opt.ErrOut != nil {
		r.errFixed = bufio.NewWriterSize(opt.ErrOut, 64<<10)
	}
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

func first(ws ...io.Writer) io.Writer {
	for _, w := range ws {
		if w != nil {
			return w
		}
	}
	return nil
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

	// The outputs, buffered and flushed after each batch: a PRINT or
	// "(1 row affected)" per statement would otherwise cost a system call
	// each. Messages and errors go with the results (as sqlcmd sends them
	// to its output) unless RunOptions.Messages or ErrOut, or :error, send
	// them elsewhere.
	out      *bufio.Writer // results: RunOptions.Out, or the :out target
	msgFixed *bufio.Writer // RunOptions.Messages, nil: with the results
	errFixed *bufio.Writer // RunOptions.ErrOut, nil: with the results
	errW     *bufio.Writer // the :error target, nil: errFixed or the results
	outFile  io.WriteCloser
	errFile  io.WriteCloser

	done      Checkpoint // last completed batch
	saved     int        // done.Batch when last saved
	lastSaved time.Time
}

// messages and errors are where the next message or error goes.
func (r *runner) messages() *bufio.Writer {
	if r.msgFixed != nil {
		return r.msgFixed
	}
	return r.out
}

func (r *runner) errors() *bufio.Writer {
	switch {
	case r.errW != nil:
		return r.errW
	case r.errFixed != nil:
		return r.errFixed
	}
	return r.out
}

func (r *runner) visit(st *step) (err error) {
	defer func() {
		if ferr := r.flush(); err == nil || err == errStop {
			if ferr != nil {
				err = ferr
			}
		}
	}()
	it := st.item
	if it.Kind == batch.Command {
		return r.command(st)
	}
	if r.opt.Resume != nil && st.ordinal <= r.opt.Resume.Batch {
		r.sum.Skipped++
		return r.completed(st)
	}
	r.sum.Executed++
	if r.opt.Echo {
		r.out.Write(it.SQL)
		if len(it.SQL) > 0 && it.SQL[len(it.SQL)-1] != '\n' {
			r.out.WriteByte('\n')
		}
	}
	p, stop, err := r.execute(st, string(it.SQL), it.Repeat)
	if err != nil {
		return err
	}
	if it.Exit {
		r.exitValue(p)
	}
	if p.failed != nil {
		r.sum.Failed++
		if stop {
			return batchFailure(it, st.ordinal, *p.failed)
		}
	}
	if err := r.completed(st); err != nil {
		return err
	}
	if it.Exit {
		return errStop
	}
	return nil
}

// settings are the output settings and the timeout of the next batch: the
// options, overridden by the scripting variables that hold them.
func (r *runner) settings(rd *batch.Reader) (Format, time.Duration) {
	f := r.opt.Format
	num := func(name string, into *int) {
		if v, ok := rd.Var(name); ok {
			if n, ok := batch.VarNumber(v); ok {
				*into = n
			}
		}
	}
	num("SQLCMDHEADERS", &f.Headers)
	num("SQLCMDCOLWIDTH", &f.Width)
	num("SQLCMDMAXVARTYPEWIDTH", &f.MaxVarWidth)
	num("SQLCMDMAXFIXEDTYPEWIDTH", &f.MaxFixedWidth)
	num("SQLCMDERRORLEVEL", &f.ErrorLevel)
	if v, ok := rd.Var("SQLCMDCOLSEP"); ok && v != "" {
		f.Separator = v[:1]
	}
	timeout := r.opt.QueryTimeout
	secs := -1
	num("SQLCMDSTATTIMEOUT", &secs)
	if secs >= 0 {
		timeout = time.Duration(secs) * time.Second
	}
	return f, timeout
}

func (r *runner) printer(st *step) *printer {
	format, _ := r.settings(st.rd)
	failAt := uint8(11)
	if r.opt.ErrorSeverity > 0 {
		failAt = uint8(min(r.opt.ErrorSeverity, 255))
	}
	return &printer{out: r.out, messages: r.messages(), errOut: r.errors(), format: format, failAt: failAt,
		noResults: r.opt.NoResults, file: st.item.File, line: st.item.Line, wantValue: st.item.Exit}
}

// execute runs sql repeat times. stop reports that the run must stop at it.
func (r *runner) execute(st *step, sql string, repeat int) (p *printer, stop bool, err error) {
	p = r.printer(st)
	_, timeout := r.settings(st.rd)
	ctx := r.ctx
	for i := 0; i < repeat; i++ {
		bctx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			bctx, cancel = context.WithTimeout(ctx, timeout)
		}
		err := r.ex.Exec(bctx, sql, p)
		timedOut := err != nil && ctx.Err() == nil && errors.Is(bctx.Err(), context.DeadlineExceeded)
		cancel()
		if err != nil && ctx.Err() != nil {
			return p, true, ctx.Err()
		}
		if timedOut {
			p.Message(Message{Class: 16, Text: fmt.Sprintf("Query timeout expired after %s", timeout)})
			err = nil
		}
		if err != nil {
			return p, true, fmt.Errorf("%s:%d: batch %d: %w", st.item.File, st.item.Line, st.ordinal, err)
		}
		if p.state127 || (p.failed != nil && r.exitOnError) {
			break // the run stops: no more repetitions
		}
	}
	p.flush()
	return p, p.failed != nil && (r.exitOnError || p.state127), nil
}

// exitValue keeps the value of :exit(query) as sqlcmd computes it.
func (r *runner) exitValue(p *printer) {
	v := -101 // no rows
	if p.hasValue {
		v = leadingInt(p.value)
	}
	r.sum.ExitValue = &v
}

// leadingInt reads an optional sign and digits at the start of s (after
// blanks): "" is 0, no number at all -102.
func leadingInt(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i++
	}
	j := i
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(s[:j], 10, 32)
	if j == i || err != nil {
		return -102
	}
	return int(n)
}

// completed records batch st as done and saves a checkpoint when due. A
// checkpoint that cannot be written stops the run: resuming must not repeat
// batches.
func (r *runner) completed(st *step) error {
	if err := r.flush(); err != nil { // output before progress, as it happened
		return err
	}
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
	if err := checkCommand(it, r.opt.OpenOutput != nil); err != nil && err != errStop {
		return err
	}
	switch it.Name {
	case "on error":
		r.exitOnError = strings.EqualFold(it.Args, "exit")
	case "quit", "exit":
		return errStop
	case "listvar":
		for _, v := range listvarOrder(st.rd.Vars()) {
			fmt.Fprintf(r.out, "%s = \"%s\"\n", v.Name, v.Value)
		}
	case "out", "error":
		return r.redirect(it)
	}
	return nil
}

// builtinVars are sqlcmd's own variables, which :listvar shows first.
var builtinVars = []string{"SQLCMDCOLSEP", "SQLCMDCOLWIDTH", "SQLCMDDBNAME", "SQLCMDEDITOR", "SQLCMDERRORLEVEL",
	"SQLCMDHEADERS", "SQLCMDINI", "SQLCMDLOGINTIMEOUT", "SQLCMDMAXFIXEDTYPEWIDTH", "SQLCMDMAXVARTYPEWIDTH",
	"SQLCMDPACKETSIZE", "SQLCMDSERVER", "SQLCMDSTATTIMEOUT", "SQLCMDUSEAAD", "SQLCMDUSER", "SQLCMDWORKSTATION"}

// listvarOrder puts sqlcmd's own variables first, as sqlcmd lists them.
func listvarOrder(vs []batch.Var) []batch.Var {
	rank := map[string]int{}
	for i, n := range builtinVars {
		rank[n] = i + 1
	}
	var own, rest []batch.Var
	for _, v := range vs {
		if rank[v.Name] > 0 {
			own = append(own, v)
		} else {
			rest = append(rest, v)
		}
	}
	for i := 1; i < len(own); i++ {
		for j := i; j > 0 && rank[own[j].Name] < rank[own[j-1].Name]; j-- {
			own[j], own[j-1] = own[j-1], own[j]
		}
	}
	return append(own, rest...)
}

func (r *runner) redirect(it batch.Item) error {
	name := it.Args
	var w io.Writer
	var file io.WriteCloser
	switch strings.ToLower(name) {
	case "stdout":
		w = orDiscard(r.opt.Out)
	case "stderr":
		w = orDiscard(first(r.opt.ErrOut, r.opt.Messages, r.opt.Out))
	default:
		if r.opt.OpenOutput == nil {
			return scriptError(it, ErrUnsupported, ":%s %s: writing to files is not enabled", it.Name, name)
		}
		f, err := r.opt.OpenOutput(name)
		if err != nil {
			return &position.Error{File: it.File, Line: it.Line, Offset: -1, Err: fmt.Errorf(":%s %s: %w", it.Name, name, err)}
		}
		w, file = f, f
	}
	var err error
	if it.Name == "out" {
		err = flushAndClose(r.out, r.outFile)
		r.out, r.outFile = bufio.NewWriterSize(w, 64<<10), file
	} else {
		if r.errW != nil {
			err = flushAndClose(r.errW, r.errFile)
		}
		r.errW, r.errFile = bufio.NewWriterSize(w, 64<<10), file
	}
	if err != nil {
		return &position.Error{File: it.File, Line: it.Line, Offset: -1, Err: fmt.Errorf(":%s %s: the previous output: %w", it.Name, name, err)}
	}
	return nil
}

// flushAndClose flushes buf and closes file, if any (committing a file of
// :out or :error); it returns the first error.
func flushAndClose(buf *bufio.Writer, file io.Closer) error {
	err := buf.Flush()
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// flush writes what the last batch or command printed. An output that
// cannot be written (a full disk, a closed pipe) stops the run: its results
// would be lost.
func (r *runner) flush() error {
	for _, b := range []*bufio.Writer{r.out, r.msgFixed, r.errFixed, r.errW} {
		if b == nil {
			continue
		}
		if err := b.Flush(); err != nil {
			return fmt.Errorf("writing the output: %w", err)
		}
	}
	return nil
}

func isStdStream(name string) bool {
	name = strings.ToLower(name)
	return name == "stdout" || name == "stderr"
}

// closeRedirects flushes the outputs and closes the files of :out and
// :error; it returns the first error.
func (r *runner) closeRedirects() error {
	err := flushAndClose(r.out, r.outFile)
	if r.errW != nil {
		if eerr := flushAndClose(r.errW, r.errFile); err == nil {
			err = eerr
		}
	}
	for _, b := range []*bufio.Writer{r.msgFixed, r.errFixed} {
		if b != nil {
			if ferr := b.Flush(); err == nil {
				err = ferr
			}
		}
	}
	r.outFile, r.errFile = nil, nil
	return err
}
