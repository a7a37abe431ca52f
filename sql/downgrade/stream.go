package downgrade

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/encoding/unicode"
	xtransform "golang.org/x/text/transform"

	"github.com/xdm-migrate/xdm/sql/version"
)

// Report sums up a Downgrade.
type Report struct {
	Target   version.Version `json:"target"`
	Batches  int             `json:"batches"`  // batches read
	Changed  int             `json:"changed"`  // batches whose text was rewritten
	Lexed    int             `json:"lexed"`    // batches that went through the lexer; the rest passed the data fast path
	Bytes    int64           `json:"bytes"`    // input bytes
	Findings []Finding       `json:"findings"` // in input order
}

// Count returns the number of findings with the action.
func (r *Report) Count(a Action) int {
	n := 0
	for _, f := range r.Findings {
		if f.Action == a {
			n++
		}
	}
	return n
}

// Blocking reports whether the input script, as it is, would fail on the
// target: some finding is not a mere warning.
func (r *Report) Blocking() bool {
	for _, f := range r.Findings {
		if f.Blocking() {
			return true
		}
	}
	return false
}

// flushLimit is the size from which a batch that holds no trigger word so
// far is written out in parts, at the start of an INSERT line, so that a
// data batch of any size needs little memory.
const flushLimit = 4 << 20

// Downgrade streams a script from r to w, rewriting every batch for
// opts.Target, and returns the report. GO lines and sqlcmd command lines
// (:setvar, :r, !! ...) are copied as they are; so is every byte the rules do
// not change, line endings included. UTF-8 input (with or without BOM) and
// single-byte code pages pass through byte for byte; UTF-16 input (with BOM)
// is rewritten as UTF-8 internally and written back as UTF-16 with its BOM.
//
// Memory is bounded by the largest batch that needs lexing (module bodies,
// DDL); data batches are streamed line by line whatever their size. w may be
// io.Discard: Check's whole-script counterpart is Downgrade with io.Discard.
// Downgrade returns ctx.Err() when cancelled; w then holds a partial script.
func Downgrade(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Report, error) {
	rep := Report{Target: opts.target()}
	br := bufio.NewReaderSize(r, 64<<10)
	bom, _ := br.Peek(2)
	var rd io.Reader = br
	var enc io.WriteCloser
	if len(bom) == 2 && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF) {
		order := unicode.LittleEndian
		if bom[0] == 0xFE {
			order = unicode.BigEndian
		}
		u := unicode.UTF16(order, unicode.ExpectBOM)
		rd = xtransform.NewReader(br, u.NewDecoder())
		enc = xtransform.NewWriter(w, unicode.UTF16(order, unicode.UseBOM).NewEncoder())
		w = enc
	}
	d := &downgrader{ctx: ctx, opts: &opts, rep: &rep, w: bufio.NewWriterSize(w, 256<<10),
		in: bufio.NewReaderSize(rd, 64<<10), line: 1}
	d.sc = scanner{set: triggers(opts.target())}
	err := d.run()
	if ferr := d.w.Flush(); err == nil {
		err = ferr
	}
	if enc != nil {
		if cerr := enc.Close(); err == nil {
			err = cerr
		}
	}
	return rep, err
}

type downgrader struct {
	ctx  context.Context
	opts *Options
	rep  *Report
	w    *bufio.Writer
	in   *bufio.Reader
	sc   scanner // trigger scan of the current batch, carried line to line
	long []byte  // a line longer than the reader's buffer

	cur     []byte // the current batch
	curLine int    // line of its first byte
	hit     bool   // the current batch holds a trigger word
	line    int    // line number of the next line read
}

// readLine returns the next line with its terminator; the slice is valid
// until the next call.
func (d *downgrader) readLine() ([]byte, error) {
	b, err := d.in.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return b, err
	}
	d.long = append(d.long[:0], b...)
	for errors.Is(err, bufio.ErrBufferFull) {
		b, err = d.in.ReadSlice('\n')
		d.long = append(d.long, b...)
	}
	return d.long, err
}

func (d *downgrader) run() error {
	d.curLine = 1
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := d.ctx.Err(); err != nil {
				return err
			}
		}
		ln, err := d.readLine()
		if len(ln) > 0 {
			d.rep.Bytes += int64(len(ln))
			if d.opts.Progress != nil && n%256 == 0 {
				d.opts.Progress(d.rep.Bytes)
			}
			if d.line == 1 && bytes.HasPrefix(ln, []byte("\xEF\xBB\xBF")) && len(d.cur) == 0 {
				if _, werr := d.w.Write(ln[:3]); werr != nil {
					return werr
				}
				ln = ln[3:]
			}
			if werr := d.addLine(ln); werr != nil {
				return werr
			}
			d.line++
		}
		if err == io.EOF {
			if d.opts.Progress != nil {
				d.opts.Progress(d.rep.Bytes)
			}
			return d.endBatch()
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", d.name(), d.line, err)
		}
	}
}

func (d *downgrader) name() string {
	if d.opts.File == "" {
		return "<input>"
	}
	return d.opts.File
}

func (d *downgrader) addLine(ln []byte) error {
	if d.sc.mode == 0 && (isGoLine(ln) || isCommandLine(ln)) {
		if err := d.endBatch(); err != nil {
			return err
		}
		_, err := d.w.Write(ln)
		d.curLine = d.line + 1
		return err
	}
	if !d.hit && d.sc.mode == 0 && len(d.cur) >= flushLimit && startsWithWord(ln, "INSERT") {
		// A data batch: write what we have, unchanged, and go on.
		if _, err := d.w.Write(d.cur); err != nil {
			return err
		}
		d.cur = d.cur[:0]
		d.curLine = d.line
	}
	if d.sc.scan(ln) {
		d.hit = true
	}
	d.cur = append(d.cur, ln...)
	return nil
}

// endBatch rewrites and writes the current batch.
func (d *downgrader) endBatch() error {
	if len(d.cur) == 0 {
		d.hit = false
		return nil
	}
	d.rep.Batches++
	out := d.cur
	if d.hit {
		d.rep.Lexed++
		var fs []Finding
		out, fs = RewriteBatch(d.cur, *d.opts, Position{File: d.opts.File, Line: d.curLine})
		if !bytes.Equal(out, d.cur) {
			d.rep.Changed++
		}
		for _, f := range fs {
			if d.opts.OnFinding != nil {
				d.opts.OnFinding(f)
			}
		}
		d.rep.Findings = append(d.rep.Findings, fs...)
	}
	_, err := d.w.Write(out)
	d.cur = d.cur[:0]
	d.hit = false
	d.sc.mode, d.sc.depth = 0, 0
	if cap(d.cur) > 4*flushLimit {
		d.cur = nil
	}
	return err
}

// isGoLine reports whether ln is a batch separator: GO [count] alone on its
// line, optionally followed by a -- comment.
func isGoLine(ln []byte) bool {
	s := bytes.TrimLeft(ln, " \t")
	if len(s) < 2 || (s[0]|0x20) != 'g' || (s[1]|0x20) != 'o' {
		return false
	}
	s = s[2:]
	if len(s) > 0 && wordByte(s[0]) {
		return false
	}
	s = bytes.TrimLeft(s, " \t")
	for len(s) > 0 && isDigit(s[0]) {
		s = s[1:]
	}
	s = bytes.TrimLeft(s, " \t")
	return len(s) == 0 || s[0] == '\r' || s[0] == '\n' || bytes.HasPrefix(s, []byte("--"))
}

// isCommandLine reports whether ln is a sqlcmd command (:setvar, :r, !! ...).
func isCommandLine(ln []byte) bool {
	s := bytes.TrimLeft(ln, " \t")
	return len(s) > 1 && ((s[0] == ':' && (s[1]|0x20) >= 'a' && (s[1]|0x20) <= 'z') || (s[0] == '!' && s[1] == '!'))
}

// startsWithWord reports whether ln begins, after blanks, with the word w (upper case).
func startsWithWord(ln []byte, w string) bool {
	s := bytes.TrimLeft(ln, " \t")
	return len(s) >= len(w) && equalFold(s[:len(w)], w) && (len(s) == len(w) || !wordByte(s[len(w)]))
}

func equalFold(b []byte, w string) bool {
	for i := range b {
		c := b[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}
