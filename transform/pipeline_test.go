package transform

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand"
	"runtime"
	"testing"
	"time"
)

// numbers is a Produce that sends 0..n-1.
func numbers(n int) func(context.Context, func(int) error) error {
	return func(_ context.Context, send func(int) error) error {
		for i := range n {
			if err := send(i); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestPipelineOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	delays := make([]time.Duration, 500)
	for i := range delays {
		delays[i] = time.Duration(rng.Intn(200)) * time.Microsecond
	}
	for _, workers := range []int{1, 2, 7} {
		var got []int
		err := Pipeline[int, int]{
			Workers: workers,
			Produce: numbers(len(delays)),
			Work: func(_ context.Context, i int) (int, error) {
				time.Sleep(delays[i])
				return i * i, nil
			},
			Consume: func(i, sq int) error {
				if sq != i*i {
					t.Errorf("job %d got result %d", i, sq)
				}
				got = append(got, i)
				return nil
			},
		}.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("workers=%d: job %d consumed at position %d", workers, v, i)
			}
		}
		if len(got) != len(delays) {
			t.Fatalf("workers=%d: %d jobs consumed, want %d", workers, len(got), len(delays))
		}
	}
}

func TestPipelineErrors(t *testing.T) {
	errWork, errConsume, errProduce := errors.New("work"), errors.New("consume"), errors.New("produce")
	identity := func(_ context.Context, i int) (int, error) { return i, nil }
	consumed := 0
	count := func(int, int) error { consumed++; return nil }

	// A failing job ends the run when its turn comes: the jobs before it
	// are consumed, none after it.
	err := Pipeline[int, int]{Workers: 3, Produce: numbers(1000),
		Work: func(_ context.Context, i int) (int, error) {
			if i == 100 {
				return 0, errWork
			}
			return i, nil
		},
		Consume: count}.Run(context.Background())
	if !errors.Is(err, errWork) || consumed != 100 {
		t.Errorf("work error: %v after %d jobs", err, consumed)
	}

	err = Pipeline[int, int]{Workers: 2, Produce: numbers(1000), Work: identity,
		Consume: func(i, _ int) error {
			if i == 10 {
				return errConsume
			}
			return nil
		}}.Run(context.Background())
	if !errors.Is(err, errConsume) {
		t.Errorf("consume error: %v", err)
	}

	consumed = 0
	err = Pipeline[int, int]{Workers: 2, Work: identity, Consume: count,
		Produce: func(ctx context.Context, send func(int) error) error {
			for i := range 5 {
				if err := send(i); err != nil {
					return err
				}
			}
			return errProduce
		}}.Run(context.Background())
	if !errors.Is(err, errProduce) || consumed != 5 {
		t.Errorf("produce error: %v after %d jobs", err, consumed)
	}

	if err := (Pipeline[int, int]{}).Run(context.Background()); err == nil {
		t.Error("a pipeline without functions ran")
	}
}

func TestPipelineCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	after := 0
	err := Pipeline[int, int]{Workers: 2, Produce: numbers(1 << 20),
		Work: func(_ context.Context, i int) (int, error) { return i, nil },
		Consume: func(i, _ int) error {
			if ctx.Err() != nil {
				after++
			}
			if i == 50 {
				cancel()
			}
			return nil
		}}.Run(ctx)
	if !errors.Is(err, context.Canceled) || after > 2*2+2 {
		t.Errorf("err %v, %d jobs consumed after the cancel", err, after)
	}
}

// lineSource generates n lines of text on the fly, so that the input of the
// memory test is never held whole.
type lineSource struct {
	left int64
	line []byte
	pos  int
}

func newLineSource(size int64) *lineSource {
	return &lineSource{left: size, line: []byte("FIELD=some value of a record line\r\n")}
}

func (s *lineSource) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n := 0
	for n < len(p) {
		k := copy(p[n:], s.line[s.pos:])
		n += k
		s.pos = (s.pos + k) % len(s.line)
	}
	s.left -= int64(n)
	return n, nil
}

// TestMemoryBounded runs the engine over a short and a 16 times longer
// generated input and compares what it allocated: the chunk buffers come
// from the pool and the pipeline recycles its slots, so the longer input
// allocates no more bytes than the pool holds, and not one allocation per
// chunk.
func TestMemoryBounded(t *testing.T) {
	const chunk = 64 << 10
	upper := func(_ context.Context, c Chunk[none], dst []byte) (Result[none], error) {
		for _, b := range c.Data {
			if 'a' <= b && b <= 'z' {
				b -= 'a' - 'A'
			}
			dst = append(dst, b)
		}
		return Result[none]{Out: dst, Lines: int64(bytes.Count(c.Data, []byte{'\n'}))}, nil
	}
	measure := func(size int64) (bytes, allocs uint64, st Stats) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		st, err := Run(context.Background(), newLineSource(size), io.Discard, Options[none, none]{
			Workers: 2, ChunkSize: chunk, Split: SplitLines, Process: upper,
		})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if st.Read != size || st.Written != size {
			t.Fatalf("read %d, wrote %d bytes of %d", st.Read, st.Written, size)
		}
		return after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs, st
	}
	const small, large = 8 << 20, 128 << 20
	measure(small) // warm up: the first run pays for lazily initialised runtime state
	sBytes, sAllocs, _ := measure(small)
	lBytes, lAllocs, st := measure(large)
	chunks := uint64(large / chunk)
	// The pool: (3 × 2 + 4) buffers of the chunk size and an eighth.
	pool := uint64(10 * (chunk + chunk/8))
	t.Logf("%d MiB: %d bytes in %d allocations; %d MiB (%d chunks, %d lines): %d bytes in %d allocations",
		small>>20, sBytes, sAllocs, large>>20, chunks, st.Lines, lBytes, lAllocs)
	if want := int64(large / int64(len("FIELD=some value of a record line\r\n"))); st.Lines != want {
		t.Errorf("Stats.Lines = %d, want %d", st.Lines, want)
	}
	if lBytes > 2*pool {
		t.Errorf("%d MiB of input allocated %d bytes, more than twice the buffer pool (%d)", large>>20, lBytes, pool)
	}
	if lAllocs > sAllocs+chunks/16 {
		t.Errorf("allocations grow with the input: %d for %d MiB, %d for %d MiB (%d chunks)", sAllocs, small>>20, lAllocs, large>>20, chunks)
	}
}
