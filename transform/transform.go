// Package transform is xdm's engine for parallel work in order. [Pipeline]
// is the ordered worker pipeline: a producer, a fixed number of workers, and
// a consumer that receives the results in input order, with bounded memory.
// [Run] is the pipeline for rewriting large files: a reader cuts the input
// into chunks on boundaries the caller chooses, the workers process the
// chunks in parallel, and a writer emits the results in input order. Memory
// is bounded by the number of chunks in flight (about 2 × Workers + 2) times
// the chunk size, whatever the input size; a single record longer than the
// chunk size grows one buffer to its length.
//
// The journal fix and the dump.sql rewrite differ only in the SplitFunc and
// ProcessFunc they hand to Run; the infotool record walk and the XPhone
// prompt conversion are Pipelines of records and of files.
package transform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/xdm-migrate/xdm/position"
)

// DefaultChunkSize is the read size when Options.ChunkSize is zero.
const DefaultChunkSize = 1 << 20

// Chunk is one piece of the input handed to a ProcessFunc. S is the type of
// the state a SplitFunc passes to the worker.
type Chunk[S any] struct {
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
	State S
}

// SplitFunc chooses chunk boundaries. It is called from one goroutine, in
// input order, with the input not yet handed out. It returns the length n of
// the next chunk (0 < n <= len(data)) and the state the worker needs to
// process it alone. Returning n == 0 asks for more data: the buffer grows
// until the SplitFunc finds a boundary or the input ends. At EOF (atEOF true)
// it must take all of the remaining data, in one chunk or several. Its
// errors end the run and are returned as they are.
type SplitFunc[S any] func(data []byte, atEOF bool) (n int, state S, err error)

// Result is what a ProcessFunc produced for one chunk; V is the type of the
// value it hands to Options.Collect.
type Result[V any] struct {
	// Out is the chunk's output, built by appending to the dst slice the
	// ProcessFunc was given; nil means the chunk passes through unchanged
	// (no copy is made).
	Out []byte
	// Lines is the number of lines the chunk ended, so that errors and
	// ChunkInfo.FirstLine can carry absolute line numbers.
	Lines int64
	// Value is handed to Options.Collect in input order (per-chunk counts).
	Value V
}

// ProcessFunc transforms one chunk. It is called concurrently from the
// workers and must not depend on other chunks except through Chunk.State.
// A problem at a place in the chunk is a *position.Error whose Line (1-based)
// and Offset count from the chunk's start: Run moves it to the whole input
// (position.Shift) before returning it.
type ProcessFunc[S, V any] func(ctx context.Context, c Chunk[S], dst []byte) (Result[V], error)

// ChunkInfo describes a processed chunk to Options.Collect.
type ChunkInfo struct {
	Seq       int
	Offset    int64 // byte offset of the chunk in the input
	Len       int   // input length of the chunk
	FirstLine int64 // 1-based line number of the chunk's first byte
}

// Options configure Run. Split and Process are required; every other field's
// zero value works.
type Options[S, V any] struct {
	// Workers is the number of concurrent ProcessFunc calls; 0 means GOMAXPROCS.
	Workers int
	// ChunkSize is how many bytes are read before the SplitFunc is asked for
	// a boundary; 0 means DefaultChunkSize.
	ChunkSize int
	Split     SplitFunc[S]
	Process   ProcessFunc[S, V]
	// Collect, if set, receives each chunk's Result.Value in input order, on
	// the goroutine that called Run; an error stops the run.
	Collect func(info ChunkInfo, value V) error
	// Progress, if set, is called with the number of input bytes written so
	// far, after each chunk.
	Progress func(bytesDone int64)
}

// Stats count what a Run read and wrote.
type Stats struct {
	Read    int64 // input bytes processed
	Written int64 // bytes written to the output
	Lines   int64 // the sum of the chunks' Result.Lines
}

// chunkJob is a chunk with the pooled buffer that backs its Data.
type chunkJob[S any] struct {
	chunk Chunk[S]
	buf   *[]byte
}

// chunkDone is a processed chunk: the result, the output buffer it was
// appended to, and the ProcessFunc's error, which the writer returns when it
// reaches the chunk (errors come out in input order).
type chunkDone[V any] struct {
	res Result[V]
	dst *[]byte
	err error
}

// Run reads r to the end, processes it and writes the output to w in input
// order, writing on the calling goroutine. It stops at the first error (of
// the reader, a SplitFunc, a ProcessFunc in input order, Collect or the
// writer) or when ctx is done. Output already written before an error is not
// taken back: write to a temporary file and rename it on success
// (internal/atomicfile). The Stats are what was done up to the end or the
// error.
func Run[S, V any](ctx context.Context, r io.Reader, w io.Writer, opt Options[S, V]) (Stats, error) {
	if opt.Split == nil || opt.Process == nil {
		return Stats{}, errors.New("transform: Options.Split and Options.Process are required")
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
	wr := &chunkWriter[S, V]{w: w, opt: opt, pool: pool, line: 1}
	err := Pipeline[chunkJob[S], chunkDone[V]]{
		Workers: workers,
		Produce: func(ctx context.Context, send func(chunkJob[S]) error) error {
			return produce(r, opt.Split, pool, send)
		},
		Work: func(ctx context.Context, j chunkJob[S]) (chunkDone[V], error) {
			dst := pool.get()
			res, err := opt.Process(ctx, j.chunk, (*dst)[:0])
			return chunkDone[V]{res: res, dst: dst, err: err}, nil
		},
		Consume: wr.write,
	}.Run(ctx)
	return wr.stats, err
}

// produce reads the input, cuts it with split and sends each chunk.
func produce[S any](r io.Reader, split SplitFunc[S], pool *bufPool, send func(chunkJob[S]) error) error {
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
		j := chunkJob[S]{chunk: Chunk[S]{Data: (*buf)[:n], Offset: offset, Seq: seq, State: state}, buf: buf}
		if err := send(j); err != nil {
			return err
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

// chunkWriter writes the processed chunks in input order and counts.
type chunkWriter[S, V any] struct {
	w     io.Writer
	opt   Options[S, V]
	pool  *bufPool
	line  int64 // 1-based line of the next chunk's first byte
	stats Stats
}

func (cw *chunkWriter[S, V]) write(j chunkJob[S], d chunkDone[V]) error {
	if d.err != nil {
		return position.Shift(d.err, "", cw.line, j.chunk.Offset)
	}
	out := d.res.Out
	if out == nil {
		out = j.chunk.Data
	}
	n, err := cw.w.Write(out)
	cw.stats.Written += int64(n)
	if err != nil {
		return err
	}
	if cw.opt.Collect != nil {
		info := ChunkInfo{Seq: j.chunk.Seq, Offset: j.chunk.Offset, Len: len(j.chunk.Data), FirstLine: cw.line}
		if err := cw.opt.Collect(info, d.res.Value); err != nil {
			return err
		}
	}
	cw.line += d.res.Lines
	cw.stats.Lines += d.res.Lines
	cw.stats.Read += int64(len(j.chunk.Data))
	if cw.opt.Progress != nil {
		cw.opt.Progress(cw.stats.Read)
	}
	cw.pool.put(d.dst)
	cw.pool.put(j.buf)
	return nil
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
