package registry

import (
	"context"
	"errors"
	"io"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// Errors of this package; test with errors.Is. Problems in an input are
// *position.Error values wrapping the sentinels of parsers/reg.
var (
	// ErrKeyPath: a key path given in the options does not start with a
	// root key.
	ErrKeyPath = errors.New("invalid key path")
	// ErrHostName: a host name given in the options is empty or holds
	// characters no host name has.
	ErrHostName = errors.New("invalid host name")
	// ErrForbiddenName: the new host name is one the options forbid (the
	// manual's "the application name must never be put in").
	ErrForbiddenName = errors.New("forbidden name")
	// ErrSameFile: the output file is the input itself.
	ErrSameFile = errors.New("the output is the input file itself: leave the output empty to rewrite it in place (the original is kept as .orig)")
)

// progressStep is how many bytes of input pass between two progress calls.
const progressStep = 1 << 20

// stream is the loop every rewrite shares: it reads the records of a .reg
// stream and hands each to edit, which writes it unchanged or changed
// through the Writer. It stops at the first record that does not fit the
// format, at an error of edit or of the output, and when ctx is done.
type stream struct {
	name     string
	noData   bool
	progress func(read int64)
}

// info is what a stream reports about its input and output.
type info struct {
	encoding reg.Encoding
	version  reg.Version
	read     int64
	written  int64
}

func (s stream) run(ctx context.Context, r io.Reader, w io.Writer, edit func(rec *reg.Record, out *reg.Writer) error) (info, error) {
	rd := reg.NewReader(r, s.name)
	rd.NoData = s.noData
	var out *reg.Writer
	var in info
	next := int64(progressStep)
	defer func() {
		if s.progress != nil {
			s.progress(rd.InputOffset())
		}
	}()
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return in, err
			}
		}
		rec, err := rd.Read()
		in.encoding, in.version, in.read = rd.Encoding(), rd.Version(), rd.InputOffset()
		if out != nil {
			in.written = out.Written()
		}
		if err == io.EOF {
			return in, nil
		}
		if err != nil {
			return in, err
		}
		if out == nil {
			out = reg.NewWriter(w, rd.Encoding(), rd.LineEnd())
		}
		if err := edit(rec, out); err != nil {
			return in, err
		}
		if s.progress != nil && in.read >= next {
			s.progress(in.read)
			next = in.read + progressStep
		}
	}
}
