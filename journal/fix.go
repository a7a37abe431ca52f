package journal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
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
	// the first of them (at most 1000), each a *position.Error as Fix would
	// have returned it in strict mode.
	Skipped int64             `json:"skipped_lines"`
	Issues  []*position.Error `json:"issues"`
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

// Errors wrapped by the *position.Error that Fix returns for input that
// does not fit the format; test with errors.Is.
var (
	// ErrSyntax: a line does not fit the infotool export format (or, with
	// Options.Validate, a record does not fit its grammar).
	ErrSyntax = errors.New("the journal does not fit the infotool export format")
	// ErrEncoding: a UTF-16LE journal holds an unpaired surrogate or an odd
	// number of bytes.
	ErrEncoding = errors.New("invalid UTF-16")
)

// cause is the Err of a journal's *position.Error: the message, and the
// errors it is (ErrSyntax or ErrEncoding; with --validate also the
// grammar's error, so that errors.Is(err, infotool.ErrEscape) holds).
type cause struct {
	msg string
	is  []error
}

func (c *cause) Error() string   { return c.msg }
func (c *cause) Unwrap() []error { return c.is }

// Fix copies the journal r to w with the CONTENTTYPE fix applied. On an
// error part of the output may have been written: FixFile never lets it
// reach the destination name. Input that does not fit the format is a
// *position.Error naming Options.Name, the line, the column (in characters)
// and the byte offset, wrapping ErrSyntax or ErrEncoding.
func Fix(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Report, error) {
	if opts.Name == "" {
		opts.Name = "journal"
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	rep := Report{Name: opts.Name, Changed: map[int]int64{}, Issues: []*position.Error{}, Warnings: []string{}}

	br := bufio.NewReaderSize(r, 4096)
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

	sp := &splitter{enc: enc, records: opts.Validate}
	fx := &fixer{enc: enc, lenient: opts.Lenient, validate: opts.Validate}
	var total chunkStats
	topt := transform.Options[state, *chunkStats]{
		Workers:   opts.Workers,
		ChunkSize: opts.ChunkSize,
		Split: func(data []byte, atEOF bool) (int, state, error) {
			n, st := sp.split(data, atEOF)
			return n, st, nil
		},
		Process: func(ctx context.Context, c transform.Chunk[state], dst []byte) (transform.Result[*chunkStats], error) {
			out, cs, cerr := fx.fixChunk(c.Data, c.State, dst)
			if cerr != nil {
				return transform.Result[*chunkStats]{}, cerr.position(unit)
			}
			if out != nil && opts.onChange != nil {
				opts.onChange(int64(bom) + c.Offset)
			}
			return transform.Result[*chunkStats]{Out: out, Lines: cs.crlf + cs.lf, Value: cs}, nil
		},
		Collect: func(info transform.ChunkInfo, cs *chunkStats) error {
			total.add(cs)
			for _, is := range cs.issues {
				if len(rep.Issues) < maxIssues {
					rep.Issues = append(rep.Issues, inFile(position.Shift(is, "", info.FirstLine, info.Offset), opts.Name, bom).(*position.Error))
				}
			}
			return nil
		},
	}
	if opts.Progress != nil {
		topt.Progress = func(n int64) { opts.Progress(int64(bom) + n) }
	}
	st, err := transform.Run(ctx, br, w, topt)
	rep.Written, rep.BytesRead = int64(bom)+st.Written, int64(bom)+st.Read
	rep.fill(&total)
	if err != nil {
		return rep, inFile(err, opts.Name, bom)
	}
	return rep, nil
}

// inFile places the engine's *position.Error in the file: the name, the
// offset counted from the file's first byte (the BOM before the engine's
// input), and the offset in the message, where a reader of a
// multi-gigabyte journal can seek to it.
func inFile(err error, name string, bom int) error {
	var c *cause
	if !errors.As(err, &c) {
		return err
	}
	var pe *position.Error
	if !errors.As(position.Shift(err, name, 1, int64(bom)), &pe) {
		return err
	}
	pe.Err = &cause{msg: fmt.Sprintf("%s (byte offset %d)", c.msg, pe.Offset), is: c.is}
	return pe
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
		r.Warnings = append(r.Warnings, "passed through unchanged, not fitting the format (lenient mode): "+plural.Count(r.Skipped, "line"))
	}
	if r.Records > 0 && r.JournalRecords == 0 {
		r.Warnings = append(r.Warnings, "no [JOURNAL] record: this is not a journal export, nothing in it is a voice message to fix")
	}
}
