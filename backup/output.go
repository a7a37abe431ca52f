package backup

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/xdm-migrate/xdm/backup/tarstream"
)

// patchLimit is the largest input member that is patched in place: its
// rewrite cannot outgrow the 8 GiB of an 11-digit size field (the fixes
// grow a member by less than half), so the header layout never changes.
const patchLimit = 4 << 30

// output counts what is written and knows how to write a changed member.
type output struct {
	w       io.Writer
	n       int64
	at      io.WriterAt // set when w can be patched: a file
	base    int64       // w's offset when the pass began
	tempDir string
}

func newOutput(w io.Writer, tempDir string) *output {
	o := &output{w: w, tempDir: tempDir}
	wa, okAt := w.(io.WriterAt)
	s, okSeek := w.(io.Seeker)
	if okAt && okSeek {
		if pos, err := s.Seek(0, io.SeekCurrent); err == nil {
			o.at, o.base = wa, pos
		}
	}
	return o
}

func (o *output) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	o.n += int64(n)
	return n, err
}

// ReadFrom lets io.Copy reach the destination's own ReadFrom (a file's, which
// copies file to file in the kernel).
func (o *output) ReadFrom(r io.Reader) (int64, error) {
	var n int64
	var err error
	if rf, ok := o.w.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(struct{ io.Writer }{o.w}, r)
	}
	o.n += n
	return n, err
}

var zeroBlock [tarstream.BlockSize]byte

// pad writes the zeros that fill the last block of size data bytes.
func (o *output) pad(size int64) error {
	_, err := o.Write(zeroBlock[:tarstream.PaddedSize(size)-size])
	return err
}

// writeChanged writes member e with the data that produce writes, and
// returns the new data size. On a file the headers are written first and
// patched once the size is known; elsewhere the data is spooled to a
// temporary file first.
func (o *output) writeChanged(e *tarstream.Entry, produce func(w io.Writer) error) (int64, error) {
	if o.at != nil && e.Patchable() && e.Size < patchLimit {
		return o.writePatched(e, produce)
	}
	return o.writeSpooled(e, produce)
}

func (o *output) writePatched(e *tarstream.Entry, produce func(w io.Writer) error) (int64, error) {
	start := o.n
	if _, err := o.Write(e.Raw); err != nil {
		return 0, err
	}
	dataStart := o.n
	if err := produce(o); err != nil {
		return 0, err
	}
	size := o.n - dataStart
	if err := o.pad(size); err != nil {
		return 0, err
	}
	hdr, err := e.PatchHeader(size)
	if err != nil {
		return 0, err
	}
	if !bytes.Equal(hdr, e.Raw) {
		if _, err := o.at.WriteAt(hdr, o.base+start); err != nil {
			return 0, err
		}
	}
	return size, nil
}

func (o *output) writeSpooled(e *tarstream.Entry, produce func(w io.Writer) error) (int64, error) {
	f, err := os.CreateTemp(o.tempDir, "xdm-backup-spool-*")
	if err != nil {
		return 0, fmt.Errorf("spooling %s: %w", e.Name, err)
	}
	defer func() {
		f.Close()
		os.Remove(f.Name())
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	cw := &countWriter{w: bw}
	if err := produce(cw); err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("spooling %s: %w", e.Name, err)
	}
	hdr, err := e.WithSize(cw.n)
	if err != nil {
		return 0, err
	}
	if _, err := o.Write(hdr); err != nil {
		return 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	if _, err := io.Copy(o, f); err != nil {
		return 0, err
	}
	return cw.n, o.pad(cw.n)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
