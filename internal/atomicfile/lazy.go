package atomicfile

import (
	"io"
	"math"
	"sync/atomic"
)

// LazyOutput is the output of a rewrite that often changes nothing (a
// journal that needs no fix, a .reg file without a key to move): what is
// written to it is discarded while it equals the input, so that such a run
// creates no file, costs no disk space and never touches the target or
// NAME.orig. At the first write that holds a change it creates the output
// (Rewrite.Output), copies the input up to there and writes through.
//
// The rewrite must write the input's bytes unchanged up to its first change:
// until then, the bytes written and the bytes of the input at the same
// offsets are the same. An input that cannot be read again from the start
// (a pipe) is written through from the first byte instead; the output is
// still only renamed into place by Commit, which a run without a change does
// not call.
//
// The zero LazyOutput discards everything: the output of a dry run.
type LazyOutput struct {
	rw      *Rewrite
	first   atomic.Int64 // input offset of the earliest change announced
	changed atomic.Bool  // a change was announced
	through bool         // write through from the first byte (a pipe)
	pos     int64        // bytes discarded: the input's first pos bytes
	out     *File
}

// LazyOutput returns an output of r that is created only at the first
// change. Write the run's output either to it or to Output, not to both.
func (r *Rewrite) LazyOutput() *LazyOutput {
	l := &LazyOutput{rw: r}
	l.first.Store(math.MaxInt64)
	if st, err := r.input.Stat(); err != nil || !st.Mode().IsRegular() {
		l.through = true
	}
	return l
}

// ChangeAt announces that the output differs from the input from input
// offset off on. It may be called from any goroutine, in any order: the
// earliest offset counts. A Write that ends at or before it is discarded.
func (l *LazyOutput) ChangeAt(off int64) {
	l.changed.Store(true)
	for {
		cur := l.first.Load()
		if off >= cur || l.first.CompareAndSwap(cur, off) {
			return
		}
	}
}

// Change announces that what is written next differs from the input. Call
// it between Writes, on the goroutine that writes.
func (l *LazyOutput) Change() { l.ChangeAt(l.pos) }

// Changed reports whether a change was announced.
func (l *LazyOutput) Changed() bool { return l.changed.Load() }

// File returns the output file, or nil while none was created.
func (l *LazyOutput) File() *File { return l.out }

// Write discards p while it equals the input; from the first change on it
// writes p to the output, created with the input's bytes before p.
func (l *LazyOutput) Write(p []byte) (int, error) {
	if l.out == nil {
		if l.rw == nil || !l.through && l.first.Load() >= l.pos+int64(len(p)) {
			l.pos += int64(len(p))
			return len(p), nil
		}
		out, err := l.rw.Output()
		if err != nil {
			return 0, err
		}
		if l.pos > 0 {
			if _, err := io.Copy(out, io.NewSectionReader(l.rw.input, 0, l.pos)); err != nil {
				return 0, err
			}
		}
		l.out = out
	}
	return l.out.Write(p)
}
