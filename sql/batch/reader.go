package batch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xdm-migrate/xdm/position"
)

// Kind tells a Batch from a Command.
type Kind byte

const (
	// Batch is T-SQL text to send to the server, Repeat times.
	Batch Kind = iota + 1
	// Command is an sqlcmd command line such as :on error exit.
	Command
)

func (k Kind) String() string {
	switch k {
	case Batch:
		return "batch"
	case Command:
		return "command"
	}
	return fmt.Sprintf("Kind(%d)", byte(k))
}

// Item is one piece of a script: a batch or a command.
type Item struct {
	Kind Kind
	File string // Options.Name or the name given to :r
	// Line is the 1-based line of the item's first byte in File. For a batch
	// it is the line that the server's "Line 1" refers to.
	Line int64

	// Batch: SQL is the text to send. In raw mode it is the exact source;
	// in the normal mode the text after variable substitution, which may
	// span files included with :r. Go is the exact line that ended the
	// batch, terminator included, or empty (end of input, :exit(), or in
	// raw mode a command line in the middle of the batch). Repeat is GO's
	// count, 1 without one. Ordinal numbers batches from 1: in the normal
	// mode the batches returned, in raw mode the GO-separated parts of the
	// input (parts split by a command share the ordinal).
	SQL     []byte
	Go      []byte
	Repeat  int
	Ordinal int
	// Exit (normal mode) marks the batch that :exit(query) runs: the
	// statements collected so far followed by the query. The script ends
	// after it; sqlcmd exits with the first column of its last row.
	Exit bool

	// Command: Name is the command in lower case without the colon
	// ("setvar", "r", "on error", "exit", "!!"); Args the rest of the line
	// with blanks and a -- comment removed (in the normal mode, the file
	// name of :out and :error after substitution), e.g. "exit".
	Name string
	Args string

	// Raw (raw mode only) is every byte of the input this item covers:
	// SQL followed by Go for a batch, the whole line for a command.
	// Offset is the byte offset of Raw in the input.
	Raw    []byte
	Offset int64
}

// Clone returns a copy of it whose slices stay valid after the next Read.
func (it Item) Clone() Item {
	c := it
	c.Raw = bytes.Clone(it.Raw)
	c.SQL = bytes.Clone(it.SQL)
	c.Go = bytes.Clone(it.Go)
	if it.Raw != nil && it.Kind == Batch {
		c.SQL = c.Raw[:len(it.SQL)]
		c.Go = c.Raw[len(it.SQL):]
	}
	return c
}

// Options control a Reader. The zero value reads in the normal mode with no
// variables defined and :r opening files relative to the working directory.
type Options struct {
	// Name is the script's name in Items and errors (e.g. its path).
	Name string
	// Raw selects the byte-preserving raw mode (see the package doc).
	Raw bool
	// Vars are the scripting variables defined before the script starts
	// (environment, -v); names are case-insensitive. :setvar overrides them.
	Vars map[string]string
	// Defaults are the built-in variables that :setvar NAME without a value
	// resets to the value given here instead of removing them, as sqlcmd
	// does for SQLCMDCOLSEP, SQLCMDHEADERS and the like.
	Defaults map[string]string
	// NoSubstitution keeps $(NAME) as written (sqlcmd -x).
	NoSubstitution bool
	// Open opens the file named by :r (after substitution). Nil means
	// os.Open of the name, relative to the working directory as sqlcmd
	// does, with its encoding detected by Decode.
	Open func(name string) (io.ReadCloser, error)
	// Digest, if set, receives every byte the Reader consumes from the
	// script and the files it includes, in reading order: hash it to
	// identify the script up to an item (checkpoints).
	Digest io.Writer
}

// Reader returns the batches and commands of a script one by one, like
// csv.Reader returns records.
type Reader struct {
	opt   Options
	src   *source   // the file being read
	outer []*source // the files that included src with :r, outermost first
	vars  vars
	lx    lexer

	buf     []byte // the batch being collected: raw bytes, or text before substitution
	refs    []ref  // the $(NAME) references in buf (normal mode)
	sub     []byte // buf after substitution
	bufFile string
	bufLine int64
	bufOff  int64
	reset   bool // buf was returned: empty it before the next line
	ordinal int
	queue   []result // what Read returns before it reads on
	head    int      // queue[head] is returned next
	cmdBuf  []byte
	err     error // sticky: I/O error or io.EOF

	openFile string // where the string or comment the lexer is in began
	openLine int64
	openCol  int   // 1-based, in bytes
	openOff  int64 // byte offset of its line in openFile
}

// ref is a $(NAME) reference in Reader.buf and where it was written.
type ref struct {
	off, end int
	file     string
	line     int64
	col      int
	lineOff  int64
}

// result is an item or an error waiting to be returned by Read.
type result struct {
	it  Item
	err error
}

// source is one file being read, line by line, without a limit on line length.
type source struct {
	name   string
	br     *bufio.Reader
	closer io.Closer
	path   string // absolute path, for cycle detection ("" when unknown)
	line   int64  // lines read so far
	off    int64  // bytes read so far
	long   []byte // assembles lines longer than br's buffer
	noEOL  bool   // the last line read had no terminator
	incEOL []byte // the terminator of the :r line that opened this file
}

func newSource(name string, r io.Reader, closer io.Closer, path string) *source {
	return &source{name: name, br: bufio.NewReaderSize(r, 64<<10), closer: closer, path: path}
}

// readLine returns the next line with its terminator; the slice is valid
// until the next call. At the end of the input it returns io.EOF, after the
// last line (which may lack a terminator) was returned with a nil error.
func (s *source) readLine() ([]byte, error) {
	line, err := s.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.long = append(s.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = s.br.ReadSlice('\n')
			s.long = append(s.long, line...)
		}
		line = s.long
	}
	if len(line) > 0 {
		s.line++
		s.off += int64(len(line))
		s.noEOL = line[len(line)-1] != '\n'
		if err == io.EOF {
			err = nil // the last line; the next call reports io.EOF
		}
	}
	return line, err
}

// NewReader returns a Reader of the script r.
func NewReader(r io.Reader, opt Options) *Reader {
	v := vars{}
	for k, val := range opt.Vars {
		v[varKey(k)] = val
	}
	rd := &Reader{opt: opt, vars: v}
	rd.src = newSource(opt.Name, r, nil, rd.includeKey(opt.Name))
	return rd
}

// Vars returns the scripting variables now defined, sorted by name.
func (r *Reader) Vars() []Var { return r.vars.sorted() }

// Var returns the value of the scripting variable name (any case) now.
func (r *Reader) Var(name string) (string, bool) { return r.vars.lookup([]byte(name)) }

// InputOffset returns the number of bytes of the top-level input consumed
// so far: after Read returned an item, the offset just past it (past the
// :r line when the item ended inside an included file).
func (r *Reader) InputOffset() int64 {
	if len(r.outer) > 0 {
		return r.outer[0].off
	}
	return r.src.off
}

// Read returns the next item, or io.EOF after the last one. A
// *position.Error reports a problem on one line, or after the last item a
// string or comment left open at the end of the input; Read can be called
// again to go on, as sqlcmd goes on after such an error (a malformed GO line
// or command is dropped, an unknown command is kept as SQL text, a failed :r
// is skipped, a malformed $( drops the batch collected so far). Other errors
// (reading the input) are final.
func (r *Reader) Read() (Item, error) {
	if res, ok := r.pop(); ok {
		return res.it, res.err
	}
	if r.reset {
		r.buf, r.refs, r.reset = r.buf[:0], r.refs[:0], false
	}
	for r.err == nil {
		line, err := r.src.readLine()
		if err != nil && err != io.EOF {
			// Final, but only after the item this line may complete.
			r.err = r.readError(err)
		}
		if len(line) > 0 {
			if r.opt.Digest != nil {
				r.opt.Digest.Write(line)
			}
			r.line(line)
			if res, ok := r.pop(); ok {
				return res.it, res.err
			}
		}
		switch {
		case err == io.EOF && len(r.outer) > 0:
			r.endInclude()
		case err == io.EOF:
			r.err = io.EOF
			r.atEnd()
		}
		if res, ok := r.pop(); ok {
			return res.it, res.err
		}
	}
	return Item{}, r.err
}

func (r *Reader) readError(err error) error {
	var pe *position.Error
	if errors.As(err, &pe) {
		return &readFailure{position.In(r.src.name, err)}
	}
	return &readFailure{fmt.Errorf("%s: reading line %d: %w", r.src.name, r.src.line+1, err)}
}

func (r *Reader) push(it Item, err error) { r.queue = append(r.queue, result{it, err}) }

func (r *Reader) pushErr(err error) { r.push(Item{}, err) }

func (r *Reader) pop() (result, bool) {
	if r.head >= len(r.queue) {
		r.queue, r.head = r.queue[:0], 0
		return result{}, false
	}
	res := r.queue[r.head]
	r.head++
	return res, true
}

// atEnd handles the end of the top-level input: the batch left is returned
// (sqlcmd runs it), then an error for a string or comment still open.
func (r *Reader) atEnd() {
	var unclosed error
	if r.lx.state != stCode {
		unclosed = errorAt(r.openFile, r.openLine, r.openCol, r.openOff, ErrUnclosed,
			"the script ends inside %s that begins on this line", r.lx.what())
	}
	r.flush(nil, 1, false)
	if unclosed != nil {
		r.pushErr(unclosed)
	}
}

// Close closes the files opened for :r that are still open (after an error
// or when the caller stops early). It does not close the input.
func (r *Reader) Close() error {
	for len(r.outer) > 0 {
		r.closeSource()
	}
	return nil
}

func (r *Reader) closeSource() {
	if r.src.closer != nil {
		r.src.closer.Close()
	}
	r.src = r.outer[len(r.outer)-1]
	r.outer = r.outer[:len(r.outer)-1]
}

// endInclude goes back to the file that included the one just read. A last
// line without a terminator still ends a line: the next line of the outer
// file does not continue it.
func (r *Reader) endInclude() {
	if r.src.noEOL && len(r.buf) > 0 && r.buf[len(r.buf)-1] != '\n' {
		end := r.src.incEOL
		if len(end) == 0 {
			end = []byte("\n")
		}
		r.buf = append(r.buf, end...)
	}
	r.closeSource()
}

// substituting reports whether $(NAME) references are replaced.
func (r *Reader) substituting() bool { return !r.opt.Raw && !r.opt.NoSubstitution }

// line handles one line.
func (r *Reader) line(line []byte) {
	lineOff := r.src.off - int64(len(line))
	if r.lx.state != stCode {
		r.sqlLine(line, lineOff)
		return
	}
	content := trimEOL(line)
	start := 0
	if lineOff == 0 && len(r.outer) == 0 && bytes.HasPrefix(content, bom) {
		start = len(bom)
		if !r.opt.Raw {
			line, content, start = line[len(bom):], content[len(bom):], 0
		}
	}
	c := classify(content, start)
	if c.err != nil {
		r.pushErr(errorAt(r.src.name, r.src.line, c.col, lineOff, c.err, "%s", c.msg))
		if c.err == ErrSyntax && !r.opt.Raw {
			return // sqlcmd drops a malformed GO line; the batch goes on
		}
		r.sqlLine(line, lineOff)
		return
	}
	switch c.kind {
	case lineGo:
		r.goLine(line, lineOff, c)
	case lineCommand:
		if r.opt.Raw {
			r.rawCommand(line, c)
			return
		}
		r.command(line, lineOff, c)
	default:
		r.sqlLine(line, lineOff)
	}
}

// sqlLine adds a line of T-SQL to the batch being collected, noting its
// references.
func (r *Reader) sqlLine(line []byte, lineOff int64) {
	r.lx.opened = false
	bad := r.lx.scan(line, r.substituting())
	if r.lx.opened && r.lx.state != stCode {
		r.openFile, r.openLine, r.openCol, r.openOff = r.src.name, r.src.line, r.lx.openAt+1, lineOff
	}
	if bad >= 0 {
		end := bytes.IndexAny(line[bad:], " \t\r\n")
		if end < 0 {
			end = len(line) - bad
		}
		r.pushErr(errorAt(r.src.name, r.src.line, bad+1, lineOff, ErrBadReference,
			"%q is not a scripting variable reference: $( must be followed by a name of letters, digits, '_' or '-' and ')'; the batch up to here is dropped, as sqlcmd drops it",
			line[bad:bad+end]))
		// sqlcmd drops the batch collected so far and the rest of the line,
		// and starts the next line outside any string or comment.
		r.buf, r.refs = r.buf[:0], r.refs[:0]
		r.lx.state, r.lx.depth = stCode, 0
		return
	}
	if len(r.buf) == 0 {
		r.bufFile, r.bufLine, r.bufOff = r.src.name, r.src.line, lineOff
	}
	base := len(r.buf)
	r.buf = append(r.buf, line...)
	for _, s := range r.lx.refs {
		r.refs = append(r.refs, ref{off: base + s.start, end: base + s.end, file: r.src.name,
			line: r.src.line, col: s.start + 1, lineOff: lineOff})
	}
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// blank reports whether b holds only white space.
func blank(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', '\f', '\v':
		default:
			return false
		}
	}
	return true
}

// goLine ends the batch at a GO line.
func (r *Reader) goLine(line []byte, lineOff int64, c classified) {
	repeat := c.repeat
	if repeat == 0 { // GO $(N)
		if !r.substituting() {
			if !r.opt.Raw {
				r.pushErr(errorAt(r.src.name, r.src.line, 0, lineOff, ErrSyntax,
					"GO expects a repeat count, found %q (variables are not substituted)", c.count))
				return
			}
			repeat = 1
		} else {
			count, err := r.substituteArgs(c.count, lineOff)
			if err != nil {
				r.pushErr(err)
				return
			}
			n, ok := parseCount(trimBlanks(count))
			if !ok {
				r.pushErr(errorAt(r.src.name, r.src.line, 0, lineOff, ErrSyntax,
					"GO expects a repeat count from 1 to 2147483647, found %q after substitution (written %q)", count, c.count))
				return
			}
			repeat = n
		}
	}
	r.flush(line, repeat, false)
	if r.opt.Raw {
		r.ordinal++ // the next part is a new batch even if this one was blank
	}
}

// flush ends the batch being collected with the GO line goLine (nil at the
// end of the input or before a command) and queues it. In the normal mode
// its references are substituted (undefined ones are queued as errors
// first, and stay as written, as in sqlcmd) and a blank batch is dropped; in
// raw mode every byte is returned.
func (r *Reader) flush(goLine []byte, repeat int, exit bool) {
	if r.opt.Raw {
		if len(r.buf) == 0 && len(goLine) == 0 {
			return
		}
		if len(r.buf) == 0 {
			r.bufFile, r.bufLine, r.bufOff = r.src.name, r.src.line, r.src.off-int64(len(goLine))
		}
		n := len(r.buf)
		r.buf = append(r.buf, goLine...)
		r.reset = true
		r.push(Item{Kind: Batch, File: r.bufFile, Line: r.bufLine, SQL: r.buf[:n], Go: r.buf[n:],
			Repeat: repeat, Ordinal: r.ordinal + 1, Raw: r.buf, Offset: r.bufOff}, nil)
		return
	}
	text := r.buf
	if len(r.refs) > 0 {
		text = r.substituteBatch()
	}
	if blank(text) {
		r.buf, r.refs = r.buf[:0], r.refs[:0]
		return
	}
	r.ordinal++
	r.reset = true
	r.push(Item{Kind: Batch, File: r.bufFile, Line: r.bufLine, SQL: text, Go: goLine,
		Repeat: repeat, Ordinal: r.ordinal, Exit: exit}, nil)
}

// substituteBatch returns buf with its references replaced by the values the
// variables have now (sqlcmd substitutes when the batch runs), queueing an
// error for each undefined one.
func (r *Reader) substituteBatch() []byte {
	r.sub = r.sub[:0]
	last := 0
	for _, f := range r.refs {
		r.sub = append(r.sub, r.buf[last:f.off]...)
		name := r.buf[f.off+2 : f.end-1]
		if val, ok := r.vars.lookup(name); ok {
			r.sub = append(r.sub, val...)
		} else {
			r.sub = append(r.sub, r.buf[f.off:f.end]...)
			r.pushErr(undefined(f.file, f.line, f.col, f.lineOff, name))
		}
		last = f.end
	}
	return append(r.sub, r.buf[last:]...)
}

func undefined(file string, line int64, col int, lineOff int64, name []byte) error {
	return errorAt(file, line, col, lineOff, ErrUndefinedVariable,
		"scripting variable %q is not defined", name)
}

// substituteArgs replaces the references in the arguments of a command as
// sqlcmd does there: every $(NAME), whatever quotes surround it; a "$(" that
// starts no reference is kept as text.
func (r *Reader) substituteArgs(args []byte, lineOff int64) ([]byte, error) {
	if r.opt.NoSubstitution || bytes.IndexByte(args, '$') < 0 {
		return args, nil
	}
	var out []byte
	for i := 0; i < len(args); {
		end, ok, _ := reference(args, i)
		if !ok {
			out = append(out, args[i])
			i++
			continue
		}
		name := args[i+2 : end-1]
		val, defined := r.vars.lookup(name)
		if !defined {
			return nil, undefined(r.src.name, r.src.line, 0, lineOff, name)
		}
		out = append(out, val...)
		i = end
	}
	return out, nil
}

// rawCommand returns a command line in raw mode, after the SQL before it.
func (r *Reader) rawCommand(line []byte, c classified) {
	r.flush(nil, 1, false)
	r.cmdBuf = append(r.cmdBuf[:0], line...)
	r.push(Item{Kind: Command, File: r.src.name, Line: r.src.line, Name: c.name,
		Args: string(c.args), Raw: r.cmdBuf, Offset: r.src.off - int64(len(line))}, nil)
}

// command carries out or returns a command line in the normal mode.
func (r *Reader) command(line []byte, lineOff int64, c classified) {
	args := c.args
	errorf := func(kind error, format string, a ...any) {
		r.pushErr(errorAt(r.src.name, r.src.line, 0, lineOff, kind, format, a...))
	}
	cmd := Item{Kind: Command, File: r.src.name, Line: r.src.line, Name: c.name, Args: string(args)}
	switch c.name {
	case "setvar":
		r.setvar(string(args), errorf)
		return
	case "r":
		if len(args) == 0 {
			errorf(ErrSyntax, ":r expects a file name")
			return
		}
		name, err := r.substituteArgs(args, lineOff)
		if err != nil {
			r.pushErr(err)
			return
		}
		r.include(ParseFileArg(string(name)), eol(line), errorf)
		return
	case "reset":
		r.buf, r.refs = r.buf[:0], r.refs[:0]
		return
	case "exit":
		r.exit(args, lineOff, errorf, cmd)
		return
	case "quit", "ed", "listvar":
		if len(args) > 0 {
			errorf(ErrSyntax, ":%s expects nothing after it, found %q", c.name, args)
			return
		}
	case "on error":
		if !strings.EqualFold(string(args), "exit") && !strings.EqualFold(string(args), "ignore") {
			errorf(ErrSyntax, ":on error expects exit or ignore, found %q", args)
			return
		}
	case "out", "error":
		if len(args) == 0 {
			errorf(ErrSyntax, ":%s expects stdout, stderr or a file name", c.name)
			return
		}
		name, err := r.substituteArgs(args, lineOff)
		if err != nil {
			r.pushErr(err)
			return
		}
		cmd.Args = ParseFileArg(string(name))
	case "list":
		if len(args) > 0 && !strings.EqualFold(string(args), "color") {
			errorf(ErrSyntax, ":list expects nothing or color, found %q", args)
			return
		}
	case "xml", "connect", "!!":
		if len(args) == 0 {
			errorf(ErrSyntax, "%s expects an argument", commandText(c.name))
			return
		}
	}
	r.push(cmd, nil)
}

// commandText is a command as written in a script: ":name", or "!!".
func commandText(name string) string {
	if name == "!!" {
		return name
	}
	return ":" + name
}

// setvar carries out :setvar as sqlcmd does.
func (r *Reader) setvar(args string, errorf func(error, string, ...any)) {
	name, value, ok, err := ParseSetvar(args)
	if err != nil {
		errorf(ErrSyntax, "%v", err)
		return
	}
	key := varKey(name)
	if readOnly[key] && r.vars[key] != "" {
		errorf(ErrSyntax, ":setvar %s: the variable is set by sqlcmd at start-up and cannot be changed", name)
		return
	}
	if ok {
		if numeric[key] {
			if _, isNumber := VarNumber(value); !isNumber {
				errorf(ErrSyntax, ":setvar %s: sqlcmd's variable %s holds a whole number, found %q", name, key, value)
				return
			}
		}
		r.vars[key] = value
		return
	}
	if def, isBuiltin := r.opt.Defaults[key]; isBuiltin {
		r.vars[key] = def
		return
	}
	if _, exists := r.vars[key]; !exists {
		errorf(ErrUndefinedVariable, ":setvar %s: there is no variable %s to remove", name, name)
		return
	}
	delete(r.vars, key)
}

// exit handles :exit, :exit() and :exit(query). :exit stops without running
// the batch collected so far; the other two run it, followed by the query,
// as one batch, and then stop: the Reader queues that batch with Exit set,
// or the command when there is nothing to run.
func (r *Reader) exit(args []byte, lineOff int64, errorf func(error, string, ...any), cmd Item) {
	if len(args) == 0 {
		r.push(cmd, nil)
		return
	}
	if args[0] != '(' || args[len(args)-1] != ')' {
		errorf(ErrSyntax, ":exit expects nothing, () or (query), found %q", args)
		return
	}
	query := bytes.TrimSpace(args[1 : len(args)-1])
	if len(query) > 0 {
		var lx lexer
		if bad := lx.scan(query, r.substituting()); bad >= 0 {
			r.buf, r.refs = r.buf[:0], r.refs[:0]
			errorf(ErrBadReference, "%q in :exit is not a scripting variable reference", query[bad:])
			return
		}
		if len(r.buf) == 0 {
			r.bufFile, r.bufLine, r.bufOff = r.src.name, r.src.line, lineOff
		}
		base := len(r.buf)
		r.buf = append(r.buf, query...)
		for _, s := range lx.refs {
			r.refs = append(r.refs, ref{off: base + s.start, end: base + s.end, file: r.src.name,
				line: r.src.line, lineOff: lineOff})
		}
	}
	before := len(r.queue)
	r.flush(nil, 1, true)
	if !r.queued(before, Batch) {
		r.push(cmd, nil) // nothing to run: stop as :exit does
	}
}

// queued reports whether an item of kind k was queued after index from.
func (r *Reader) queued(from int, k Kind) bool {
	for _, res := range r.queue[from:] {
		if res.err == nil && res.it.Kind == k {
			return true
		}
	}
	return false
}

// maxIncludeDepth bounds :r nesting, a backstop behind cycle detection for
// names that reach the same file by different paths (links).
const maxIncludeDepth = 64

// include starts reading the file name given to :r; lineEnd is the
// terminator of the :r line.
func (r *Reader) include(name string, lineEnd []byte, errorf func(error, string, ...any)) {
	if name == "" {
		errorf(ErrSyntax, ":r expects a file name")
		return
	}
	if len(r.outer) >= maxIncludeDepth {
		errorf(ErrIncludeCycle, ":r %s: more than %d nested :r files", name, maxIncludeDepth)
		return
	}
	path := r.includeKey(name)
	for _, s := range append(r.outer, r.src) {
		if s.path != "" && s.path == path {
			errorf(ErrIncludeCycle, ":r %s: the file is already being read (include cycle)", name)
			return
		}
	}
	open := r.opt.Open
	if open == nil {
		open = func(name string) (io.ReadCloser, error) {
			rc, _, err := OpenFile(name, 0)
			return rc, err
		}
	}
	rc, err := open(name)
	if err != nil {
		errorf(ErrInclude, ":r %s: %v", name, err)
		return
	}
	s := newSource(name, rc, rc, path)
	s.incEOL = append([]byte(nil), lineEnd...)
	r.outer = append(r.outer, r.src)
	r.src = s
}

// includeKey identifies a file for cycle detection: its absolute path, so
// that "a.sql" and "./a.sql" are the same file.
func (r *Reader) includeKey(name string) string {
	if name == "" {
		return ""
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return name
	}
	return abs
}
