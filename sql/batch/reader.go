package batch

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
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
	// batch, terminator included, or empty (end of input, or in raw mode a
	// command line in the middle of the batch). Repeat is GO's count, 1
	// without one. Ordinal numbers batches from 1: in the normal mode the
	// batches returned, in raw mode the GO-separated parts of the input
	// (parts split by a command share the ordinal).
	SQL     []byte
	Go      []byte
	Repeat  int
	Ordinal int

	// Command: Name is the command in lower case without the colon
	// ("setvar", "r", "on error", "exit", "!!"); Args the rest of the line
	// with blanks trimmed (after substitution in the normal mode), e.g.
	// "exit" or "(SELECT 1)".
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

	buf      []byte // the batch being collected (raw mode: its raw bytes)
	bufFile  string
	bufLine  int64
	bufOff   int64
	reset    bool // buf was returned: empty it before the next line
	ordinal  int
	pending  Item // returned by the next Read
	havePend bool
	cmdBuf   []byte
	err      error  // sticky: I/O error or io.EOF
	errAfter *Error // returned by the next Read, after the last item
	openFile string // where the string or comment the lexer is in began
	openLine int64
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

// InputOffset returns the number of bytes of the top-level input consumed
// so far: after Read returned an item, the offset just past it (past the
// :r line when the item ended inside an included file).
func (r *Reader) InputOffset() int64 {
	if len(r.outer) > 0 {
		return r.outer[0].off
	}
	return r.src.off
}

// Read returns the next item, or io.EOF after the last one. An *Error
// reports a problem on one line, or after the last item a string or comment
// left open at the end of the input; Read can be called again to go on (the
// faulty line was kept as SQL text, or for a failed :r skipped). Other
// errors (reading the input) are final.
func (r *Reader) Read() (Item, error) {
	if r.havePend {
		r.havePend = false
		return r.pending, nil
	}
	if e := r.errAfter; e != nil {
		r.errAfter = nil
		return Item{}, e
	}
	if r.reset {
		r.buf, r.reset = r.buf[:0], false
	}
	for r.err == nil {
		line, err := r.src.readLine()
		if err != nil && err != io.EOF {
			// Final, but only after the item this line may complete.
			r.err = fmt.Errorf("%s: reading line %d: %w", r.src.name, r.src.line+1, err)
		}
		if len(line) > 0 {
			if r.opt.Digest != nil {
				r.opt.Digest.Write(line)
			}
			it, ok, lerr := r.line(line)
			if lerr != nil {
				return Item{}, lerr
			}
			if ok {
				return it, nil
			}
		}
		switch {
		case err == io.EOF && len(r.outer) > 0:
			r.closeSource()
		case err == io.EOF:
			r.err = io.EOF
			var unclosed *Error
			if r.lx.state != stCode {
				unclosed = &Error{File: r.openFile, Line: r.openLine, Err: ErrSyntax,
					Msg: fmt.Sprintf("the script ends inside %s that begins on this line", r.lx.what())}
			}
			if it, ok := r.flush(nil, 1); ok {
				r.errAfter = unclosed
				return it, nil
			}
			if unclosed != nil {
				return Item{}, unclosed
			}
		}
	}
	return Item{}, r.err
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

// line handles one line; ok reports an item to return.
func (r *Reader) line(line []byte) (it Item, ok bool, err *Error) {
	if r.lx.state != stCode {
		r.scan(line)
		return r.appendSQL(line)
	}
	content := trimEOL(line)
	start := 0
	if r.src.off == int64(len(line)) && len(r.outer) == 0 && bytes.HasPrefix(content, bom) {
		start = len(bom)
		if !r.opt.Raw {
			line, content, start = line[len(bom):], content[len(bom):], 0
		}
	}
	c := classify(content, start)
	if c.err != "" {
		r.scan(line)
		it, ok, _ = r.appendSQL(line)
		return it, ok, &Error{File: r.src.name, Line: r.src.line, Column: c.col, Msg: c.err, Err: ErrSyntax}
	}
	switch c.kind {
	case lineGo:
		it, ok = r.flush(line, c.repeat)
		if r.opt.Raw {
			r.ordinal++ // the next part is a new batch even if this one was blank
		}
		return it, ok, nil
	case lineCommand:
		if r.opt.Raw {
			return r.rawCommand(line, c)
		}
		return r.command(line, c)
	}
	r.scan(line)
	return r.appendSQL(line)
}

// scan advances the lexer over line and notes where a string or comment
// that stays open began.
func (r *Reader) scan(line []byte) {
	r.lx.opened = false
	r.lx.scan(line)
	if r.lx.opened && r.lx.state != stCode {
		r.openFile, r.openLine = r.src.name, r.src.line
	}
}

// appendSQL adds a line to the batch being collected.
func (r *Reader) appendSQL(line []byte) (Item, bool, *Error) {
	if len(r.buf) == 0 {
		r.bufFile, r.bufLine, r.bufOff = r.src.name, r.src.line, r.src.off-int64(len(line))
	}
	if r.opt.Raw || r.opt.NoSubstitution || bytes.IndexByte(line, '$') < 0 {
		r.buf = append(r.buf, line...)
		return Item{}, false, nil
	}
	var e *Error
	r.buf, e = r.vars.substitute(r.buf, line)
	if e != nil {
		e.File, e.Line = r.src.name, r.src.line
		return Item{}, false, e
	}
	return Item{}, false, nil
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

// flush ends the batch being collected with the GO line goLine (nil at the
// end of the input or before a command). In the normal mode a blank batch is
// dropped; in raw mode every byte is returned.
func (r *Reader) flush(goLine []byte, repeat int) (Item, bool) {
	if r.opt.Raw {
		if len(r.buf) == 0 && len(goLine) == 0 {
			return Item{}, false
		}
		if len(r.buf) == 0 {
			r.bufFile, r.bufLine, r.bufOff = r.src.name, r.src.line, r.src.off-int64(len(goLine))
		}
		n := len(r.buf)
		r.buf = append(r.buf, goLine...)
		r.reset = true
		return Item{Kind: Batch, File: r.bufFile, Line: r.bufLine, SQL: r.buf[:n], Go: r.buf[n:],
			Repeat: repeat, Ordinal: r.ordinal + 1, Raw: r.buf, Offset: r.bufOff}, true
	}
	if blank(r.buf) {
		r.buf = r.buf[:0]
		return Item{}, false
	}
	r.ordinal++
	r.reset = true
	return Item{Kind: Batch, File: r.bufFile, Line: r.bufLine, SQL: r.buf, Go: goLine,
		Repeat: repeat, Ordinal: r.ordinal}, true
}

// rawCommand returns a command line in raw mode, after the SQL before it.
func (r *Reader) rawCommand(line []byte, c classified) (Item, bool, *Error) {
	r.cmdBuf = append(r.cmdBuf[:0], line...)
	cmd := Item{Kind: Command, File: r.src.name, Line: r.src.line, Name: c.name,
		Args: string(c.args), Raw: r.cmdBuf, Offset: r.src.off - int64(len(line))}
	if b, ok := r.flush(nil, 1); ok {
		r.pending, r.havePend = cmd, true
		return b, true, nil
	}
	return cmd, true, nil
}

// command carries out or returns a command line in the normal mode.
func (r *Reader) command(line []byte, c classified) (Item, bool, *Error) {
	args := c.args
	if !r.opt.NoSubstitution && bytes.IndexByte(args, '$') >= 0 {
		var e *Error
		args, e = r.vars.substitute(nil, args)
		if e != nil {
			e.File, e.Line, e.Column = r.src.name, r.src.line, 0
			return Item{}, false, e
		}
	}
	errorf := func(err error, format string, a ...any) *Error {
		return &Error{File: r.src.name, Line: r.src.line, Msg: fmt.Sprintf(format, a...), Err: err}
	}
	cmd := Item{Kind: Command, File: r.src.name, Line: r.src.line, Name: c.name, Args: string(args)}
	switch c.name {
	case "setvar":
		name, value, ok, err := ParseSetvar(string(args))
		if err != nil {
			return Item{}, false, errorf(ErrSyntax, "%v", err)
		}
		if ok {
			r.vars[varKey(name)] = value
		} else {
			delete(r.vars, varKey(name))
		}
		return Item{}, false, nil
	case "r":
		return Item{}, false, r.include(ParseFileArg(string(args)), errorf)
	case "reset":
		r.buf = r.buf[:0]
		return Item{}, false, nil
	case "exit":
		if len(args) > 0 {
			// :exit() and :exit(query) run the statement cache first.
			if b, ok := r.flush(nil, 1); ok {
				r.pending, r.havePend = cmd, true
				return b, true, nil
			}
		}
	}
	return cmd, true, nil
}

// maxIncludeDepth bounds :r nesting, a backstop behind cycle detection for
// names that reach the same file by different paths (links).
const maxIncludeDepth = 64

// include starts reading the file name given to :r.
func (r *Reader) include(name string, errorf func(error, string, ...any) *Error) *Error {
	if name == "" {
		return errorf(ErrSyntax, ":r expects a file name")
	}
	if len(r.outer) >= maxIncludeDepth {
		return errorf(ErrIncludeCycle, ":r %s: more than %d nested :r files", name, maxIncludeDepth)
	}
	path := r.includeKey(name)
	for _, s := range append(r.outer, r.src) {
		if s.path != "" && s.path == path {
			return errorf(ErrIncludeCycle, ":r %s: the file is already being read (include cycle)", name)
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
		return errorf(ErrInclude, ":r %s: %v", name, err)
	}
	r.push(newSource(name, rc, rc, path))
	return nil
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

func (r *Reader) push(s *source) {
	r.outer = append(r.outer, r.src)
	r.src = s
}
