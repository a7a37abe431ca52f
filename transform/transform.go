// Package transform is xdm's streaming engine for rewriting large files: a
// reader cuts the input into chunks on boundaries the caller chooses, a fixed
// number of workers process the chunks in parallel, and a writer emits the
// results in input order. Memory is bounded by the number of chunks in flight
// (about 2 × Workers + 2) times the chunk size, whatever the input size; a
// single record longer than the chunk size grows one buffer to its length.
//
// The journal fix and the dump.sql rewrite differ only in the SplitFunc and
// ProcessFunc they hand to Run.
package transform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// DefaultChunkSize is the read size when Options.ChunkSize is zero.
const DefaultChunkSize = 1 << 20

// Chunk is one piece of the input handed to a ProcessFunc.
type Chunk struct {
	// Data is the chunk's bytes. It is only valid during the ProcessFunc
	// call and must not be modified or retained.
	Data []byte
	// Offset is the byte offset of Data[0] in the input.
	Offset int64
	// Seq numbers the chunks from 0 in input order.
	Seq int
	// State is what the SplitFunc returned with this chunk: what a worker
	// must know about the input before the chunk (the record type a journal
	// chunk starts inside, the COPY block a dump chunk is part of).
	State any
}

// SplitFunc chooses chunk boundaries. It is called from one goroutine, in
// input order, with the input not yet handed out. It returns the length n of
// the next chunk (0 < n <= len(data)) and the state the worker needs to
// process it alone. Returning n == 0 asks for more data: the buffer grows
// until the SplitFunc finds a boundary or the input ends. At EOF (atEOF true)
// it must take all of the remaining data, in one chunk or several.
type SplitFunc func(data []byte, atEOF bool) (n int, state any, err error)

// Result is what a ProcessFunc produced for one chunk.
type Result struct {
	// Out is the chunk's output, built by appending to the dst slice the
	// ProcessFunc was given; nil means the chunk passes through unchanged
	// (no copy is made).
	Out []byte
	// Lines is the number of lines the chunk ended, so that errors and
	// ChunkInfo.FirstLine can carry absolute line numbers.
	Lines int64
	// Value is handed to Options.Collect in input order (per-chunk counts).
	Value any
}

// ProcessFunc transforms one chunk. It is called concurrently from the
// workers and must not depend on other chunks except through Chunk.State.
type ProcessFunc func(ctx context.Context, c Chunk, dst []byte) (Result, error)

// ChunkInfo describes a processed chunk to Options.Collect.
type ChunkInfo struct {
	Seq       int
	Offset    int64 // byte offset of the chunk in the input
	Len       int   // input length of the chunk
	FirstLine int64 // 1-based line number of the chunk's first byte
}

// LineError is an error at a position in the input. A ProcessFunc returns it
// with Line (1-based) and Offset relative to its chunk; Run makes both
// absolute before returning it.
type LineError struct {
	Line   int64 // 1-based line
	Column int   // 1-based column, 0 if unknown
	Offset int64 // byte offset of the error
	Err    error
}

func (e *LineError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// Options configure Run. Split and Process are required; every other field's
// zero value works.
type Options struct {
	// Workers is the number of concurrent ProcessFunc calls; 0 means GOMAXPROCS.
	Workers int
	// ChunkSize is how many bytes are read before the SplitFunc is asked for
	// a boundary; 0 means DefaultChunkSize.
	ChunkSize int
	Split     SplitFunc
	Process   ProcessFunc
	// Collect, if set, receives each chunk's Result.Value in input order from
	// a single goroutine; an error stops the run.
	Collect func(info ChunkInfo, value any) error
	// Progress, if set, is called with the number of input bytes written so
	// far, after each chunk.
	Progress func(bytesDone int64)
}

// job is one chunk on its way through the workers to the writer. The result
// channel has capacity 1, so a worker never waits for the writer (a future).
type job struct {
	chunk  Chunk
	buf    *[]byte // backing buffer of chunk.Data, returned to the pool after writing
	result chan outcome
}

type outcome struct {
	res Result
	dst *[]byte
	err error
}

// Run reads r to the end, processes it and writes the output to w in input
// order. It stops at the first error (of the reader, a SplitFunc, a
// ProcessFunc in input order, Collect or the writer) or when ctx is done.
// Output already written before an error is not taken back: write to a
// temporary file and rename it on success (internal/atomicfile).
func Run(ctx context.Context, r io.Reader, w io.Writer, opt Options) error {
	if opt.Split == nil || opt.Process == nil {
		return errors.New("transform: Options.Split and Options.Process are required")
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := opt.ChunkSize
	if size <= 0 {
		size = DefaultChunkSize
	}
	pool := newBufPool(size, workers)

	g, ctx := errgroup.WithContext(ctx)
	work := make(chan *job)
	order := make(chan *job, workers)

	g.Go(func() error {
		defer close(work)
		defer close(order)
		return produce(ctx, r, opt.Split, pool, work, order)
	})
	for i := 0; i < workers; i++ {
		g.Go(func() error {
			for j := range work {
				dst := pool.get()
				res, err := opt.Process(ctx, j.chunk, (*dst)[:0])
				j.result <- outcome{res: res, dst: dst, err: err}
			}
			return nil
		})
	}
	g.Go(func() error {
		return writeInOrder(ctx, w, order, pool, opt)
	})
	return g.Wait()
}

// produce reads the input, cuts it with split and hands each chunk to the
// workers and, in the same order, to the writer.
func produce(ctx context.Context, r io.Reader, split SplitFunc, pool *bufPool, work, order chan<- *job) error {
	buf := pool.get()
	filled := 0
	atEOF := false
	var offset int64
	seq := 0
	for {
		if !atEOF && filled < len(*buf) {
			n, err := io.ReadFull(r, (*buf)[filled:])
			filled += n
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				atEOF = true
			} else if err != nil {
				return err
			}
		}
		if atEOF && filled == 0 {
			pool.put(buf)
			return nil
		}
		n, state, err := split((*buf)[:filled], atEOF)
		if err != nil {
			return err
		}
		if n < 0 || n > filled {
			return fmt.Errorf("transform: SplitFunc returned %d for %d bytes", n, filled)
		}
		if n == 0 {
			if atEOF {
				return fmt.Errorf("transform: SplitFunc left %d bytes at the end of the input", filled)
			}
			if filled == len(*buf) {
				buf = pool.grow(buf, filled)
			}
			continue
		}
		next := pool.get()
		*next = ensureLen(*next, filled-n)
		copy(*next, (*buf)[n:filled])
		j := &job{
			chunk:  Chunk{Data: (*buf)[:n], Offset: offset, Seq: seq, State: state},
			buf:    buf,
			result: make(chan outcome, 1),
		}
		select {
		case order <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case work <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
		offset += int64(n)
		seq++
		buf, filled = next, filled-n
	}
}

// ensureLen returns b, or a new buffer of length n if b is shorter.
func ensureLen(b []byte, n int) []byte {
	if len(b) < n {
		b = make([]byte, n)
	}
	return b
}

// writeInOrder waits for each chunk's result in input order and writes it.
func writeInOrder(ctx context.Context, w io.Writer, order <-chan *job, pool *bufPool, opt Options) error {
	line := int64(1)
	var done int64
	for j := range order {
		var o outcome
		select {
		case o = <-j.result:
		case <-ctx.Done():
			return ctx.Err()
		}
		if o.err != nil {
			return absolute(o.err, line, j.chunk.Offset)
		}
		out := o.res.Out
		if out == nil {
			out = j.chunk.Data
		}
		if _, err := w.Write(out); err != nil {
			return err
		}
		if opt.Collect != nil {
			info := ChunkInfo{Seq: j.chunk.Seq, Offset: j.chunk.Offset, Len: len(j.chunk.Data), FirstLine: line}
			if err := opt.Collect(info, o.res.Value); err != nil {
				return err
			}
		}
		line += o.res.Lines
		done += int64(len(j.chunk.Data))
		if opt.Progress != nil {
			opt.Progress(done)
		}
		pool.put(o.dst)
		pool.put(j.buf)
	}
	return nil
}

// absolute turns a chunk-relative LineError into one for the whole input.
func absolute(err error, firstLine, offset int64) error {
	var le *LineError
	if !errors.As(err, &le) {
		return err
	}
	abs := *le
	abs.Line = firstLine + le.Line - 1
	abs.Offset = offset + le.Offset
	return &abs
}

// bufPool recycles chunk buffers. It keeps every buffer it hands out (up to
// the number that can be in flight), unlike a sync.Pool, whose buffers the
// garbage collector drops: fresh 1 MiB buffers cost page faults and zeroing,
// which with two workers took more time than the work itself. Buffers have
// room beyond the chunk size, so that output a little longer than its input
// (a 3-digit number becoming 4 digits) is appended without reallocating.
// Buffers grown past that for one long record are dropped after use, so
// memory returns to the bound.
type bufPool struct {
	size int
	free chan *[]byte
}

func newBufPool(size, workers int) *bufPool {
	// In flight at once: a read buffer and its successor, a chunk queued for
	// each worker and for the writer, and each worker's output buffer.
	return &bufPool{size: size, free: make(chan *[]byte, 3*workers+4)}
}

// slack is how much room a buffer has beyond the chunk size.
func (p *bufPool) slack() int { return p.size / 8 }

func (p *bufPool) get() *[]byte {
	select {
	case b := <-p.free:
		*b = (*b)[:p.size]
		return b
	default:
		b := make([]byte, p.size, p.size+p.slack())
		return &b
	}
}

func (p *bufPool) put(b *[]byte) {
	if b == nil || cap(*b) != p.size+p.slack() {
		return
	}
	select {
	case p.free <- b:
	default:
	}
}

// grow returns a buffer twice as large holding the first n bytes of b.
func (p *bufPool) grow(b *[]byte, n int) *[]byte {
	nb := make([]byte, 2*len(*b))
	copy(nb, (*b)[:n])
	p.put(b)
	return &nb
}
