package transform

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// Pipeline is the ordered worker pipeline every parallel xdm job runs on:
// one producer sends jobs in order, a fixed number of workers turn them into
// results concurrently, and a consumer receives each job with its result in
// the order the producer sent them. Memory is bounded: at most about
// 2 × Workers + 2 jobs are in flight, whatever the number of jobs.
//
// Run (the byte streams of the journal fix and the dump rewrite),
// infotool.Reader.Walk (records) and the XPhone prompt conversion (files)
// are pipelines.
type Pipeline[J, R any] struct {
	// Workers is the number of concurrent Work calls; 0 means GOMAXPROCS.
	Workers int
	// Produce sends the jobs, in order, from one goroutine. send returns an
	// error when the pipeline stops (the context's error); Produce should
	// then return it. Produce returns nil after the last job.
	Produce func(ctx context.Context, send func(J) error) error
	// Work computes a job's result. It is called concurrently from the
	// workers and must not depend on other jobs.
	Work func(ctx context.Context, job J) (R, error)
	// Consume receives every job and its result in the order sent, on the
	// goroutine that called Run. It is not called for a job whose Work
	// failed: Run returns that error instead.
	Consume func(job J, res R) error
}

// slot is one job on its way through the pipeline. done has capacity 1, so
// a worker never waits for the consumer (a future). Slots are recycled, so
// that a long run allocates nothing per job.
type slot[J, R any] struct {
	job  J
	res  R
	err  error
	done chan struct{}
}

// Run runs the pipeline until the producer is done and every job is
// consumed. It stops at the first error in job order: of Work or Consume
// for a job, or of Produce after the jobs it sent before it; or when ctx is
// done, returning ctx's error.
func (p Pipeline[J, R]) Run(ctx context.Context) error {
	if p.Produce == nil || p.Work == nil || p.Consume == nil {
		return errors.New("transform: Pipeline.Produce, Work and Consume are required")
	}
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	work := make(chan *slot[J, R])           // to the workers
	order := make(chan *slot[J, R], workers) // to the consumer, in job order
	free := make(chan *slot[J, R], 2*workers+2)

	var wg sync.WaitGroup
	var produceErr error
	wg.Go(func() {
		defer close(work)
		defer close(order)
		produceErr = p.Produce(ctx, func(j J) error {
			var s *slot[J, R]
			select {
			case s = <-free:
			default:
				s = &slot[J, R]{done: make(chan struct{}, 1)}
			}
			s.job = j
			select {
			case order <- s:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case work <- s:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})
	for range workers {
		wg.Go(func() {
			for s := range work {
				s.res, s.err = p.Work(ctx, s.job)
				s.done <- struct{}{}
			}
		})
	}

	err := p.consume(ctx, order, free)
	cancel()
	for range order { // let the producer see the cancellation and finish
	}
	wg.Wait()
	switch {
	case err != nil:
		return err
	case produceErr != nil:
		return produceErr // after the jobs it sent were consumed
	}
	return parent.Err()
}

// consume hands each finished job to Consume in order and recycles its slot.
func (p Pipeline[J, R]) consume(ctx context.Context, order <-chan *slot[J, R], free chan<- *slot[J, R]) error {
	var zeroJ J
	var zeroR R
	for s := range order {
		select {
		case <-s.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if s.err != nil {
			return s.err
		}
		if err := p.Consume(s.job, s.res); err != nil {
			return err
		}
		s.job, s.res = zeroJ, zeroR // drop references before reuse
		select {
		case free <- s:
		default:
		}
	}
	return nil
}
