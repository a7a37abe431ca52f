package infotool

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
)

// WalkOptions control [Reader.Walk]. The zero value parses on GOMAXPROCS
// goroutines and stops at the first error.
type WalkOptions struct {
	// Workers is the number of goroutines parsing records; 0 means
	// GOMAXPROCS.
	Workers int
	// Progress, if set, is called with the file offset reached, in order.
	Progress func(offset int64)
	// OnError, if set, is called with each *ParseError in file order; the
	// walk goes on unless it returns an error. When nil, the first
	// *ParseError ends the walk and is returned.
	OnError func(err *ParseError) error
}

type walkJob struct {
	raw  RawRecord
	done chan walkResult // capacity 1: the future of this record
}

type walkResult struct {
	rec *Record
	err error
}

// Walk reads the rest of the input, parses the records on several
// goroutines and calls fn for each record in file order, on the calling
// goroutine. Memory stays bounded: a few records per worker are in flight.
// Walk returns the first error of fn, of OnError, an I/O error, or ctx's
// error; it returns nil at the end of the input.
func (r *Reader) Walk(ctx context.Context, opts WalkOptions, fn func(*Record) error) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan walkJob, workers)  // to the workers
	order := make(chan walkJob, workers) // to the consumer, in file order
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				rec, err := parseRecord(j.raw.Raw, r.enc, r.name, j.raw.Line, j.raw.Offset)
				j.done <- walkResult{rec, err}
			}
		}()
	}
	// The producer: the splitter, on one goroutine.
	var readErr error
	go func() {
		defer close(order)
		defer close(jobs)
		for {
			raw, err := r.ReadRaw()
			if err == io.EOF {
				return
			}
			j := walkJob{raw: raw, done: make(chan walkResult, 1)}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					readErr = err
					return
				}
				j.done <- walkResult{err: err}
			} else {
				select {
				case jobs <- j:
				case <-ctx.Done():
					return
				}
			}
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
		}
	}()

	err := r.consume(ctx, order, opts, fn)
	cancel()
	for range order { // let the producer finish
	}
	wg.Wait()
	if err == nil {
		err = readErr
	}
	if err == nil {
		err = parent.Err()
	}
	return err
}

func (r *Reader) consume(ctx context.Context, order <-chan walkJob, opts WalkOptions, fn func(*Record) error) error {
	for j := range order {
		var res walkResult
		select {
		case res = <-j.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if opts.Progress != nil {
			opts.Progress(j.raw.Offset + int64(len(j.raw.Raw)))
		}
		if res.err != nil {
			pe, ok := res.err.(*ParseError)
			if !ok || opts.OnError == nil {
				return res.err
			}
			if err := opts.OnError(pe); err != nil {
				return err
			}
			continue
		}
		if err := fn(res.rec); err != nil {
			return err
		}
	}
	return nil
}
