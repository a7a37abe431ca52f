package pgdump

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"

	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/ucc"
	"github.com/xdm-migrate/xdm/transform"
)

// Target is one column to lowercase (see package ucc).
type Target = ucc.Target

// DefaultTargets are the two columns of the XPR upgrade manual.
var DefaultTargets = ucc.DefaultTargets

// Options tune Rewrite. The zero value lowercases DefaultTargets with
// Unicode rules, one worker per CPU.
type Options struct {
	// Name is the file name used in errors (default: none).
	Name string
	// Targets to lowercase; nil means DefaultTargets.
	Targets []Target
	// ASCII lowercases A-Z only, as lower() does in a database with the C
	// locale. Otherwise each character is mapped with Unicode's simple
	// lowercase mapping, as lower() does in a UTF-8 database with a libc
	// (glibc) locale.
	ASCII bool
	// Workers and ChunkSize are handed to the transform engine (0: defaults).
	Workers, ChunkSize int
	// SampleSize is the number of changes kept in Report.Sample; 0 means 10,
	// negative none.
	SampleSize int
	// Progress, if set, is called with the number of input bytes read so far.
	Progress func(bytesRead int64)
}

var (
	// ErrCollisions is returned with a report listing them when a unique
	// constraint or index of the dump would reject the lowercased values.
	// The output written so far must be discarded.
	ErrCollisions = errors.New("lowercasing would create duplicate values in a unique constraint or index")
	// ErrFormat is wrapped by the error for a COPY header or data row of a
	// target table that does not fit the format.
	ErrFormat = errors.New("malformed COPY data")
	// ErrTruncated is wrapped by the error for a dump that ends inside the
	// data of a COPY block, before the \. line that ends it: a dump cut off
	// while it was written or copied.
	ErrTruncated = errors.New("truncated dump")
	// ErrEncoding is wrapped by the error for a client_encoding that has no
	// Unicode lowercasing here (EUC_*, MULE_INTERNAL, ...). Options.ASCII,
	// which lowercases A-Z only, works in every encoding.
	ErrEncoding = errors.New("client_encoding not supported for Unicode lowercasing")
)

// rewriter holds the sequential parse state of one Rewrite.
type rewriter struct {
	opt     Options
	targets []Target
	sample  int

	line        int64 // number of the next line to split
	offset      int64 // byte offset of the data handed to the next split
	blk         *block
	inOtherCopy bool
	copyLine    int64 // where the current COPY block (target or not) starts
	encoding    string
	lower       *lowerer
	encErr      error
	searchPath  string
	ctype       string
	provider    string
	stmt        []byte
	stmtLine    int64

	blocks  []*block
	uniques []uniqueDef
	seed    maphash.Seed

	// owned by collect
	rows, changed int64
	sampled       []Change
}

// maxStatement bounds the statement buffered for the unique definitions.
const maxStatement = 1 << 20

// Rewrite copies the dump from r to w, lowercasing the target columns in the
// COPY blocks. It returns the report and, after the whole input was written,
// ErrCollisions when lowercasing would break a unique constraint of the dump.
// Malformed target rows and COPY headers (ErrFormat), an unsupported
// client_encoding (ErrEncoding) and a dump that ends inside COPY data
// (ErrTruncated) are a *position.Error naming Options.Name and the line.
// On any error, discard what was written to w.
func Rewrite(ctx context.Context, r io.Reader, w io.Writer, opt Options) (*Report, error) {
	rw := &rewriter{opt: opt, targets: opt.Targets, sample: opt.SampleSize, line: 1, encoding: "UTF8", searchPath: "public"}
	if rw.targets == nil {
		rw.targets = DefaultTargets
	}
	if rw.sample == 0 {
		rw.sample = 10
	}
	rw.lower, _ = newLowerer("UTF8", opt.ASCII)
	rw.seed = maphash.MakeSeed()
	st, err := transform.Run(ctx, r, w, transform.Options[chunkState, *chunkRows]{
		Workers:   opt.Workers,
		ChunkSize: opt.ChunkSize,
		Split:     rw.split,
		Process:   rw.process,
		Collect:   rw.collect,
		Progress:  opt.Progress,
	})
	rep := rw.report()
	if err == nil {
		err = rw.truncated(st.Read)
	}
	if err != nil {
		return rep, position.In(opt.Name, err)
	}
	rep.Collisions = rw.collisions()
	if len(rep.Collisions) > 0 {
		return rep, ErrCollisions
	}
	return rep, nil
}

// truncated returns the error for a dump of size bytes that ended inside
// COPY data.
func (rw *rewriter) truncated(size int64) error {
	if rw.blk == nil && !rw.inOtherCopy {
		return nil
	}
	what := "a COPY block"
	if rw.blk != nil {
		what = "the COPY block of " + rw.blk.Schema + "." + rw.blk.Table
	}
	return &position.Error{Line: max(rw.line-1, 1), Offset: size,
		Err: fmt.Errorf("%w: the file ends inside %s (line %d), expected a line \\. after its last row", ErrTruncated, what, rw.copyLine)}
}

func (rw *rewriter) report() *Report {
	rep := &Report{Encoding: rw.encoding, CType: rw.ctype, LocaleProvider: rw.provider,
		Rows: rw.rows, Changed: rw.changed, Sample: rw.sampled}
	found := map[Target]bool{}
	for _, b := range rw.blocks {
		rep.Tables = append(rep.Tables, b.TableReport)
		found[b.Target] = true
	}
	for _, t := range rw.targets {
		if !found[t] {
			rep.Missing = append(rep.Missing, t)
		}
	}
	return rep
}

// trimEOL drops a line's \n or \r\n.
func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

func isEndMarker(line []byte) bool { return len(line) == 2 && line[0] == '\\' && line[1] == '.' }
