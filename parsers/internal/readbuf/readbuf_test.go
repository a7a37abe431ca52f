package readbuf

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// A record longer than any read is buffered whole, one byte at a time too,
// and sliding keeps offsets: Base plus a position is the input offset.
func TestNeedSlide(t *testing.T) {
	in := bytes.Repeat([]byte("0123456789"), MinRead/5) // two reads' worth
	b := New(iotest.OneByteReader(bytes.NewReader(in)))
	if err := b.Need(len(in)); err != nil || len(b.Buf) != len(in) || !bytes.Equal(b.Buf, in) {
		t.Fatalf("Need: %v, %d bytes", err, len(b.Buf))
	}
	pos := b.Slide(len(in) - 3)
	if got := string(b.Buf[pos:]); got != "789" || b.Base+int64(pos) != int64(len(in)-3) {
		t.Fatalf("after Slide: %q at %d+%d", got, b.Base, pos)
	}
	if err := b.Need(len(b.Buf) + 1); err != nil || !b.EOF {
		t.Fatalf("Need past the end: %v, EOF %v", err, b.EOF)
	}
}

// Slide copies only when the rest fills the second half of the buffer or
// leaves too little room for a read.
func TestSlideLazily(t *testing.T) {
	b := New(strings.NewReader(strings.Repeat("x", 1000)))
	if err := b.Need(1000); err != nil {
		t.Fatal(err)
	}
	if pos := b.Slide(10); pos != 10 || b.Base != 0 {
		t.Fatalf("a short step moved the buffer: pos %d, base %d", pos, b.Base)
	}
	if pos := b.Slide(600); pos != 0 || b.Base != 600 || len(b.Buf) != 400 {
		t.Fatalf("past half: pos %d, base %d, %d bytes", pos, b.Base, len(b.Buf))
	}
}

type stuck struct{}

func (stuck) Read([]byte) (int, error) { return 0, nil }

// A reader that returns nothing forever stops the buffer, and the error
// stays.
func TestNoProgress(t *testing.T) {
	b := New(stuck{})
	if err := b.Fill(); !errors.Is(err, io.ErrNoProgress) || !errors.Is(b.Err(), io.ErrNoProgress) {
		t.Fatalf("Fill: %v", err)
	}
	if err := b.Need(1); !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("Need after the error: %v", err)
	}
}
