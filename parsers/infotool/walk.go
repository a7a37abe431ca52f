package infotool

import (
	"context"
	"errors"
	"io"
	"runtime"

	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/transform"
)

// WalkOptions control [Reader.Walk]. The zero value parses on GOMAXPROCS
// goroutines and stops at the first error.
type WalkOptions struct {
	// Workers is the number of goroutines parsing records; 0 means
	// GOMAXPROCS.
	Workers int
	// Progress, if set, is called with the file offset reached, in order.
	Progress func(offset int64)
	// OnError, if set, is called with each *position.Error (a record or the
	// preamble that does not fit the format) in file order; the walk goes
	// on unless it returns an error. When nil, the first one ends the walk
	// and is returned.
	OnError func(err *position.Error) error
	// SkipFields checks each record as [ValidateRecord] does, against the
	// grammar without building a parse tree or decoding values, which costs
	// a fraction of the time: fn gets records with Type, Key, HasKey, Raw,
	// Line and Offset, but no Fields. The errors are the same.
	SkipFields bool
}

// A walk job is a batch of records: at least walkBatchBytes of them, or
// walkBatchRecords. With one record per job, the few jobs in flight could
// not keep two workers busy: while one parsed a long BODY record, the other
// ran out of queued work behind it. A single worker gets one record per job:
// there batches only cost time (13 % on a 64 MiB journal), as a record is no
// longer in the cache when its turn comes.
const (
	walkBatchBytes   = 256 << 10
	walkBatchRecords = 512
)

// walkItem is a record to parse, or a splitter error to report in its place.
type walkItem struct {
	raw RawRecord
	err error
}

type walkResult struct {
	rec *Record
	err error
}

// Walk reads the rest of the input, parses the records on several
// goroutines (the ordered pipeline of package transform) and calls fn for
// each record in file order, on the calling goroutine. Memory stays
// bounded: a few batches of records (about 256 KiB each) per worker are in
// flight. Walk returns the first error of fn, of OnError, an I/O error, or
// ctx's error; it returns nil at the end of the input. After ctx is done, fn
// is called for no further record.
func (r *Reader) Walk(ctx context.Context, opts WalkOptions, fn func(*Record) error) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batch := walkBatchBytes
	if workers == 1 {
		batch = 1
	}
	return transform.Pipeline[[]walkItem, []walkResult]{
		Workers: workers,
		Produce: func(_ context.Context, send func([]walkItem) error) error {
			for {
				items, err := r.readBatch(batch)
				if len(items) > 0 {
					if err := send(items); err != nil {
						return err
					}
				}
				switch {
				case err == io.EOF:
					return nil
				case err != nil:
					return err
				}
			}
		},
		Work: func(ctx context.Context, items []walkItem) ([]walkResult, error) {
			mode := full
			if opts.SkipFields {
				mode = headerOnly
			}
			return r.parseBatch(ctx, items, mode), nil
		},
		Consume: func(items []walkItem, results []walkResult) error {
			for i, res := range results {
				// A batch holds hundreds of records: stop within it when
				// the walk is cancelled, as fn may have side effects.
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := r.deliver(items[i], res, opts, fn); err != nil {
					return err
				}
			}
			return nil
		},
	}.Run(ctx)
}

// readBatch reads the next batch of records: at least minBytes of them, or
// walkBatchRecords. Format errors of the splitter travel in the batch, in
// their place; any other error (io.EOF included) ends the batch and is
// returned with it.
func (r *Reader) readBatch(minBytes int) ([]walkItem, error) {
	var items []walkItem
	size := 0
	for size < minBytes && len(items) < walkBatchRecords {
		raw, err := r.ReadRaw()
		if err != nil {
			// A read error of the input is final whatever its type (a
			// pipe may be closed with another reader's *position.Error).
			var pe *position.Error
			if !errors.As(err, &pe) || r.in.Err() != nil {
				return items, err
			}
			items = append(items, walkItem{raw: raw, err: err})
			continue
		}
		items = append(items, walkItem{raw: raw})
		size += len(raw.Raw)
	}
	return items, nil
}

// parseBatch parses a batch's records; it stops early when ctx ends (the
// consumer then delivers none of them).
func (r *Reader) parseBatch(ctx context.Context, items []walkItem, mode parseMode) []walkResult {
	res := make([]walkResult, len(items))
	for i, it := range items {
		if ctx.Err() != nil {
			break
		}
		if it.err != nil {
			res[i].err = it.err
			continue
		}
		res[i].rec, res[i].err = parse(it.raw.Raw, r.enc, r.name, it.raw.Line, it.raw.Offset, mode)
	}
	return res
}

// deliver hands one parsed record to fn, or its error to OnError.
func (r *Reader) deliver(it walkItem, res walkResult, opts WalkOptions, fn func(*Record) error) error {
	if opts.Progress != nil {
		opts.Progress(it.raw.Offset + int64(len(it.raw.Raw)))
	}
	if res.err != nil {
		var pe *position.Error
		if !errors.As(res.err, &pe) || opts.OnError == nil {
			return res.err
		}
		return opts.OnError(pe)
	}
	return fn(res.rec)
}
