package journal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/transform"
)

// ReplacementValue is what a remapped CONTENTTYPE becomes.
const ReplacementValue = 1092

// NeedsFix reports whether the CONTENTTYPE value n is one the fix replaces:
// 4352, or greater than 499 and smaller than 600.
func NeedsFix(n int) bool { return n == 4352 || (n > 499 && n < 600) }

// Options control Fix. The zero value works: strict checking, one worker per
// CPU, the default chunk size, no progress.
type Options struct {
	// Name is the file name used in errors and the report (default "journal").
	Name string
	// Lenient passes lines that do not fit the format through unchanged and
	// lists them in Report.Issues, instead of stopping at the first one.
	Lenient bool
	// Validate also parses every record with the full grammar of
	// parsers/infotool; the chunks are then cut on record boundaries, so
	// memory is bounded by the largest record instead of the longest line.
	Validate bool
	// Workers is the number of chunks fixed in parallel (default GOMAXPROCS).
	Workers int
	// ChunkSize is the size of the chunks the input is cut into (default
	// DefaultChunkSize). A line or record longer than that gets a chunk of
	// its own.
	ChunkSize int
	// Progress, if set, is called from time to time with the number of
	// input bytes read so far.
	Progress func(bytesRead int64)

	onChange func(offset int64) // FixFile: byte offset of a chunk's first fix
}

// DefaultChunkSize is the chunk size of a zero Options.
const DefaultChunkSize = transform.DefaultChunkSize

// Issue is a line that Options.Lenient passed through unchanged.
type Issue struct {
	Line    int64  `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Report is what Fix found and did.
type Report struct {
	Name     string   `json:"file"`
	Encoding Encoding `json:"-"`
	// EncodingName is Encoding as a word: cp1252, utf-8 or utf-16le.
	EncodingName string `json:"encoding"`
	// LineEndings is "CRLF", "LF", "mixed" or "none" (a single line).
	LineEndings  string `json:"line_endings"`
	CRLFLines    int64  `json:"crlf_lines"`
	LFLines      int64  `json:"lf_lines"`
	FinalNewline bool   `json:"final_newline"`
	EOFMark      bool   `json:"eof_mark"` // the file ends with the DOS end-of-file byte 0x1A
	// Records counts record headers, JournalRecords the [JOURNAL] ones.
	Records        int64 `json:"records"`
	JournalRecords int64 `json:"journal_records"`
	// ContentTypes counts the CONTENTTYPE fields of JOURNAL records.
	ContentTypes int64 `json:"contenttype_fields"`
	// Changed counts the CONTENTTYPE fields set to 1092, by their old value.
	Changed map[int]int64 `json:"changed"`
	// Skipped counts the lines Lenient passed through unchanged; Issues lists
	// the first of them (at most 1000).
	Skipped int64   `json:"skipped_lines"`
	Issues  []Issue `json:"issues"`
	// Validated counts the records parsed by the full grammar (Validate).
	Validated int64    `json:"validated_records"`
	Warnings  []string `json:"warnings"`
	BytesRead int64    `json:"bytes_read"`
	Written   int64    `json:"bytes_written"`
	// Output is the file FixFile wrote (symbolic links resolved) and Backup
	// the original it kept (in place); both empty when nothing was written.
	Output string `json:"output,omitempty"`
	Backup string `json:"backup,omitempty"`
}

// Fixes is the number of CONTENTTYPE fields set to 1092.
func (r *Report) Fixes() int64 {
	var n int64
	for _, c := range r.Changed {
		n += c
	}
	return n
}

// OldValues returns the old values in Changed, in increasing order.
func (r *Report) OldValues() []int {
	vs := make([]int, 0, len(r.Changed))
	for v := range r.Changed {
		vs = append(vs, v)
	}
	sort.Ints(vs)
	return vs
}

// SyntaxError is input that does not fit the format, or invalid UTF-16.
type SyntaxError struct {
	File   string
	Line   int64 // 1-based
	Column int   // 1-based, in characters
	Offset int64 // byte offset in the file
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s (byte offset %d)", e.File, e.Line, e.Column, e.Msg, e.Offset)
}

// Fix copies the journal r to w with the CONTENTTYPE fix applied. On an
// error part of the output may have been written: FixFile never lets it
// reach the destination name.
func Fix(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Report, error) {
	if opts.Name == "" {
		opts.Name = "journal"
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	rep := Report{Name: opts.Name, Changed: map[int]int64{}, Issues: []Issue{}, Warnings: []string{}}

	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 4096)
	prefix, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return rep, err
	}
	enc, bom := infotool.DetectEncoding(prefix)
	rep.Encoding, rep.EncodingName = enc, enc.String()
	if bom > 0 {
		if _, err := br.Discard(bom); err != nil {
			return rep, err
		}
		if _, err := w.Write(prefix[:bom]); err != nil {
			return rep, err
		}
	}
	unit := int64(1)
	if enc == UTF16LE {
		unit = 2
	}

	cw := &countingWriter{w: w, n: int64(bom)}
	sp := &splitter{enc: enc, records: opts.Validate}
	fx := &fixer{enc: enc, lenient: opts.Lenient, validate: opts.Validate}
	var total chunkStats
	topt := transform.Options{
		Workers:   opts.Workers,
		ChunkSize: opts.ChunkSize,
		Split: func(data []byte, atEOF bool) (int, any, error) {
			n, st := sp.split(data, atEOF)
			return n, st, nil
		},
		Process: func(ctx context.Context, c transform.Chunk, dst []byte) (transform.Result, error) {
			out, cs, cerr := fx.fixChunk(c.Data, c.State.(state), dst)
			if cerr != nil {
				return transform.Result{}, &transform.LineError{Line: cerr.line, Column: cerr.column,
					Offset: int64(cerr.unit) * unit, Err: &SyntaxError{Msg: cerr.msg}}
			}
			if out != nil && opts.onChange != nil {
				opts.onChange(int64(bom) + c.Offset)
			}
			return transform.Result{Out: out, Lines: cs.crlf + cs.lf, Value: cs}, nil
		},
		Collect: func(info transform.ChunkInfo, v any) error {
			cs := v.(*chunkStats)
			total.add(cs)
			for _, is := range cs.issues {
				if len(rep.Issues) < maxIssues {
					is.Line += info.FirstLine - 1
					rep.Issues = append(rep.Issues, is)
				}
			}
			return nil
		},
	}
	if opts.Progress != nil {
		topt.Progress = func(n int64) { opts.Progress(int64(bom) + n) }
	}
	err = transform.Run(ctx, br, cw, topt)
	rep.Written, rep.BytesRead = cw.n, cr.n
	rep.fill(&total)
	if err != nil {
		return rep, syntaxError(err, opts.Name, bom)
	}
	return rep, nil
}

// syntaxError turns the engine's LineError around a SyntaxError into a
// SyntaxError with the absolute line and the file name.
func syntaxError(err error, name string, bom int) error {
	var le *transform.LineError
	var se *SyntaxError
	if !errors.As(err, &le) || !errors.As(le.Err, &se) {
		return err
	}
	out := *se
	out.File, out.Line, out.Column, out.Offset = name, le.Line, le.Column, int64(bom)+le.Offset
	return &out
}

// fill sets the report's totals from the collected chunk statistics.
func (r *Report) fill(t *chunkStats) {
	r.Records, r.JournalRecords, r.ContentTypes = t.records, t.journals, t.contentTypes
	for i, n := range t.changed {
		if n > 0 {
			r.Changed[remapValue(i)] = n
		}
	}
	r.CRLFLines, r.LFLines = t.crlf, t.lf
	r.EOFMark = t.eofMark
	r.FinalNewline = !t.noFinalNewline && t.crlf+t.lf > 0
	r.Skipped, r.Validated = t.skipped, t.validated
	switch {
	case t.crlf > 0 && t.lf > 0:
		r.LineEndings = "mixed"
		r.Warnings = append(r.Warnings, fmt.Sprintf("mixed line endings (%d CRLF, %d LF): each line keeps its own", t.crlf, t.lf))
	case t.crlf > 0:
		r.LineEndings = "CRLF"
	case t.lf > 0:
		r.LineEndings = "LF"
	default:
		r.LineEndings = "none"
	}
	if r.Skipped > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d lines do not fit the format and were passed through unchanged (--lenient)", r.Skipped))
	}
	if r.Records > 0 && r.JournalRecords == 0 {
		r.Warnings = append(r.Warnings, "no [JOURNAL] record: this is not a journal export, nothing in it is a voice message to fix")
	}
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
