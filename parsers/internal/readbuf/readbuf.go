// Package readbuf is the input buffer of xdm's record readers
// (parsers/infotool, parsers/reg): a window on an io.Reader that grows to
// hold the longest record and slides forward as records are returned. Memory
// is the largest record plus one read, whatever the size of the input and
// the length of its lines; records are cut from the buffered bytes without
// bufio.Scanner's line limit.
package readbuf

import (
	"errors"
	"io"
)

// MinRead is the smallest read from the underlying reader.
const MinRead = 64 << 10

// Buffer holds the part of an input a reader has not returned yet. Readers
// index Buf directly; positions in it are input offsets less Base.
type Buffer struct {
	r io.Reader
	// Buf is the buffered input; Buf[0] is at input offset Base.
	Buf  []byte
	Base int64
	// EOF is set once the reader returned io.EOF: Buf holds the rest of
	// the input.
	EOF bool
	err error
}

// New returns a Buffer reading r.
func New(r io.Reader) Buffer { return Buffer{r: r} }

// Err returns the read error that stopped the buffer (never io.EOF): every
// later Fill returns it again.
func (b *Buffer) Err() error { return b.err }

// Fill appends one read to Buf, growing it when it has less than half of
// MinRead free. At the end of the input it sets EOF and returns nil.
func (b *Buffer) Fill() error {
	if b.err != nil {
		return b.err
	}
	if cap(b.Buf)-len(b.Buf) < MinRead/2 {
		nb := make([]byte, len(b.Buf), max(2*cap(b.Buf), MinRead))
		copy(nb, b.Buf)
		b.Buf = nb
	}
	for range 100 {
		n, err := b.r.Read(b.Buf[len(b.Buf):cap(b.Buf)])
		b.Buf = b.Buf[:len(b.Buf)+n]
		if errors.Is(err, io.EOF) {
			b.EOF = true
			return nil
		}
		if err != nil {
			b.err = err
			return err
		}
		if n > 0 {
			return nil
		}
	}
	b.err = io.ErrNoProgress
	return b.err
}

// Need reads until Buf holds n bytes, or the input ends.
func (b *Buffer) Need(n int) error {
	for len(b.Buf) < n && !b.EOF {
		if err := b.Fill(); err != nil {
			return err
		}
	}
	return nil
}

// Slide drops the bytes before pos, which the reader is done with, and
// returns where pos is then. It moves the rest to the front of Buf only
// when it fills the second half of it or leaves too little room for a read:
// not at every record, whose copy of the rest of the buffer would cost more
// than reading.
func (b *Buffer) Slide(pos int) int {
	if pos == 0 || (pos < len(b.Buf)/2 && cap(b.Buf)-len(b.Buf) >= MinRead/2) {
		return pos
	}
	n := copy(b.Buf, b.Buf[pos:])
	b.Buf = b.Buf[:n]
	b.Base += int64(pos)
	return 0
}
