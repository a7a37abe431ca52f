package downgrade

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xdm-migrate/xdm/position"
	sqlbatch "github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Report sums up a Downgrade.
type Report struct {
	Target   version.Version `json:"target"`
	Batches  int             `json:"batches"`  // batches read
	Changed  int             `json:"changed"`  // batches whose text was rewritten
	Lexed    int             `json:"lexed"`    // batches that went through the lexer; the rest passed the data fast path
	Bytes    int64           `json:"bytes"`    // script text read (UTF-16 input counts after decoding)
	Findings []Finding       `json:"findings"` // in input order
	// Problems are the places where the script cannot be read the way
	// sqlcmd (and xdm sql run) reads it: a malformed GO or sqlcmd command
	// line, a string, quoted name or comment left open at the end (each
	// wraps batch.ErrSyntax), and with Options.Open a :r file that cannot
	// be read (batch.ErrInclude) or that includes itself
	// (batch.ErrIncludeCycle). The text was copied as it is. A script with
	// problems is invalid input: sqlcmd would not run it as written.
	Problems []*position.Error `json:"problems,omitempty"`
	// Includes are the :r lines met, in reading order (those of included
	// files too, when Options.Open follows them).
	Includes []Include `json:"includes,omitempty"`
}

// Include is a :r line of a script.
type Include struct {
	File    string `json:"file,omitempty"` // the script that holds the line
	Line    int    `json:"line"`
	Name    string `json:"name"`    // the file name given, without its double quotes
	Checked bool   `json:"checked"` // read with the rules (Options.Open)
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

// Downgrade streams a script from r to w, rewriting every batch for
// opts.Target, and returns the report. The script is read with the raw mode
// of package batch: GO lines and sqlcmd command lines (:setvar, :r, !! ...)
// are copied as they are, $(variables) stay as written, and so does every
// byte the rules do not change, line endings included. UTF-8 input (with or
// without BOM) and single-byte code pages pass through byte for byte; UTF-16
// input (with BOM) is rewritten as UTF-8 internally and written back as
// UTF-16 with its BOM.
//
// Memory is bounded by the largest batch. Batches that no rule can touch
// (data: INSERT ... VALUES) are recognised by a byte scan and copied without
// lexing. To only check a script, pass io.Discard as w. Downgrade returns
// ctx.Err() when cancelled; w then holds a partial script.
func Downgrade(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Report, error) {
	rep := Report{Target: opts.target()}
	dec, enc, err := sqlbatch.Decode(r, 0)
	if err != nil {
		return rep, err
	}
	ew := enc.NewWriter(w)
	bw := bufio.NewWriterSize(ew, 256<<10)
	if opts.File != "" {
		opts.including = []string{includeKey(opts.File)}
	}
	err = downgrade(ctx, dec, bw, &opts, &rep)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := ew.Close(); err == nil {
		err = cerr
	}
	return rep, err
}

func downgrade(ctx context.Context, r io.Reader, w io.Writer, opts *Options, rep *Report) error {
	br := sqlbatch.NewReader(r, sqlbatch.Options{Name: opts.File, Raw: true})
	defer br.Close()
	ordinal := 0
	var last []byte // the SQL of the last batch, for the place of a string left open
	var lastLine int64
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := br.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if p := scriptProblem(err, last, lastLine); p != nil {
				// The reader kept the text as SQL and goes on; say so
				// in the report.
				rep.Problems = append(rep.Problems, p)
				continue
			}
			return err
		}
		rep.Bytes = br.InputOffset()
		if opts.Progress != nil {
			opts.Progress(rep.Bytes)
		}
		if it.Kind != sqlbatch.Batch {
			if it.Kind == sqlbatch.Command && it.Name == "r" {
				if err := include(ctx, it, opts, rep); err != nil {
					return err
				}
			}
			if _, err := w.Write(it.Raw); err != nil {
				return err
			}
			continue
		}
		if it.Ordinal != ordinal {
			ordinal = it.Ordinal
			rep.Batches++
		}
		last, lastLine = append(last[:0], it.SQL...), it.Line
		out := it.SQL
		if mayMatch(it.SQL, opts.target()) {
			rep.Lexed++
			var fs []Finding
			out, fs = RewriteBatch(it.SQL, *opts, Position{File: opts.File, Line: int(it.Line)})
			if !bytes.Equal(out, it.SQL) {
				rep.Changed++
			}
			for _, f := range fs {
				if opts.OnFinding != nil {
					opts.OnFinding(f)
				}
			}
			rep.Findings = append(rep.Findings, fs...)
		}
		if _, err := w.Write(out); err != nil {
			return err
		}
		if _, err := w.Write(it.Go); err != nil {
			return err
		}
	}
	return nil
}

// scriptProblem turns an error of the batch reader about a place in the
// script into a *position.Error, or returns nil for any other error. The
// reader names the line and column where a string, name or comment left
// open begins; should a place come without its column, it is found by
// lexing the last batch (src, starting on line first).
func scriptProblem(err error, src []byte, first int64) *position.Error {
	var pe *position.Error
	if !errors.As(err, &pe) {
		return nil
	}
	if pe.Column == 0 {
		if t, ok := openToken(src); ok && first+int64(t.Line)-1 == pe.Line {
			p := *pe
			p.Column = t.Column
			return &p
		}
	}
	return pe
}

// openToken returns the last token of src when it is a string, quoted or
// bracketed name, or block comment that is not closed.
func openToken(src []byte) (tsql.Token, bool) {
	toks := tsql.Lex(src)
	for k := len(toks) - 1; k >= 0; k-- {
		t := toks[k]
		if t.Kind == tsql.Space {
			continue
		}
		text := t.Text(src)
		switch t.Kind {
		case tsql.String:
			_, _, _, closed := unquoteLiteral(src, t)
			return t, !closed
		case tsql.Quoted, tsql.Bracketed:
			q := byte('"')
			if t.Kind == tsql.Bracketed {
				q = ']'
			}
			end, closed := skipQuoted(text, 1, q)
			return t, !closed || end != len(text)
		case tsql.BlockComment:
			var sc scanner
			sc.mode, sc.depth = '*', 1
			return t, sc.skipComment(text, 2) == len(text) && sc.mode == '*'
		}
		return t, false
	}
	return tsql.Token{}, false
}

// include records the :r line it and, with opts.Open, reads the file it
// names with the rules, for the report only. A file that cannot be read or
// includes itself is a problem at the :r line, as it stops sqlcmd there.
func include(ctx context.Context, it sqlbatch.Item, opts *Options, rep *Report) error {
	name := sqlbatch.ParseFileArg(it.Args)
	k := len(rep.Includes)
	rep.Includes = append(rep.Includes, Include{File: opts.File, Line: int(it.Line), Name: name})
	if opts.Open == nil || name == "" || strings.Contains(name, "$(") {
		return nil
	}
	problem := func(kind, cause error) {
		rep.Problems = append(rep.Problems, &position.Error{File: opts.File, Line: it.Line, Offset: it.Offset,
			Err: &includeError{msg: ":r " + name + ": " + cause.Error(), kind: kind, cause: cause}})
	}
	key := includeKey(name)
	if slices.Contains(opts.including, key) {
		problem(sqlbatch.ErrIncludeCycle, errors.New("the file is already being read (include cycle)"))
		return nil
	}
	rc, err := opts.Open(name)
	if err != nil {
		problem(sqlbatch.ErrInclude, err)
		return nil
	}
	defer rc.Close()
	dec, _, err := sqlbatch.Decode(rc, 0)
	if err != nil {
		problem(sqlbatch.ErrInclude, err)
		return nil
	}
	sub := *opts
	sub.File, sub.Progress = name, nil
	sub.including = append(slices.Clip(opts.including), key)
	rep.Includes[k].Checked = true
	// The included file's batches go through the rules like the script's;
	// what they would become is not written anywhere.
	return downgrade(ctx, dec, io.Discard, &sub, rep)
}

// includeKey identifies a file for include cycles, as package batch does:
// its absolute path, so that "a.sql" and "./a.sql" are the same file.
func includeKey(name string) string {
	if abs, err := filepath.Abs(name); err == nil {
		return abs
	}
	return name
}

// includeError is why a :r file could not be read: it matches its kind
// (batch.ErrInclude, batch.ErrIncludeCycle) and its cause.
type includeError struct {
	msg         string
	kind, cause error
}

func (e *includeError) Error() string   { return e.msg }
func (e *includeError) Unwrap() []error { return []error{e.kind, e.cause} }
