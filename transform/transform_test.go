package transform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/xdm-migrate/xdm/position"
)

// none is the state and value of chunks that need neither.
type none = struct{}

// upperLines is a ProcessFunc that upper-cases a chunk and counts its lines.
func upperLines(_ context.Context, c Chunk[none], dst []byte) (Result[none], error) {
	dst = append(dst, bytes.ToUpper(c.Data)...)
	return Result[none]{Out: dst, Lines: int64(bytes.Count(c.Data, []byte{'\n'}))}, nil
}

// passThrough leaves every chunk unchanged.
func passThrough(_ context.Context, c Chunk[none], _ []byte) (Result[none], error) {
	return Result[none]{Lines: int64(bytes.Count(c.Data, []byte{'\n'}))}, nil
}

func randomLines(seed int64, n int) string {
	rng := rand.New(rand.NewSource(seed))
	var b strings.Builder
	for i := 0; i < n; i++ {
		l := rng.Intn(200)
		if rng.Intn(50) == 0 {
			l = 5000 // longer than the small chunk sizes below
		}
		for j := 0; j < l; j++ {
			b.WriteByte(byte('a' + rng.Intn(26)))
		}
		if rng.Intn(3) == 0 {
			b.WriteString("\r\n")
		} else {
			b.WriteByte('\n')
		}
	}
	b.WriteString("no final newline")
	return b.String()
}

func TestRunPreservesOrderAndBytes(t *testing.T) {
	input := randomLines(1, 3000)
	for _, size := range []int{7, 64, 4096, 1 << 20} {
		for _, workers := range []int{1, 2, 8} {
			t.Run(fmt.Sprintf("chunk%d/workers%d", size, workers), func(t *testing.T) {
				var out bytes.Buffer
				_, err := Run(context.Background(), iotest.HalfReader(strings.NewReader(input)), &out, Options[none, none]{
					Workers: workers, ChunkSize: size, Split: SplitLines, Process: upperLines,
				})
				if err != nil {
					t.Fatal(err)
				}
				if want := strings.ToUpper(input); out.String() != want {
					t.Fatalf("output differs from the upper-cased input (len %d, want %d)", out.Len(), len(want))
				}
			})
		}
	}
}

func TestRunPassThroughIsIdentical(t *testing.T) {
	input := randomLines(2, 2000)
	var out bytes.Buffer
	if _, err := Run(context.Background(), strings.NewReader(input), &out, Options[none, none]{ChunkSize: 100, Split: SplitLines, Process: passThrough}); err != nil {
		t.Fatal(err)
	}
	if out.String() != input {
		t.Fatal("pass-through changed the input")
	}
}

func TestRunOrderWithSlowWorkers(t *testing.T) {
	input := randomLines(3, 500)
	rng := rand.New(rand.NewSource(4))
	delays := make([]time.Duration, 10000)
	for i := range delays {
		delays[i] = time.Duration(rng.Intn(300)) * time.Microsecond
	}
	slow := func(ctx context.Context, c Chunk[none], dst []byte) (Result[none], error) {
		time.Sleep(delays[c.Seq%len(delays)])
		return upperLines(ctx, c, dst)
	}
	var out bytes.Buffer
	if _, err := Run(context.Background(), strings.NewReader(input), &out, Options[none, none]{Workers: 4, ChunkSize: 256, Split: SplitLines, Process: slow}); err != nil {
		t.Fatal(err)
	}
	if out.String() != strings.ToUpper(input) {
		t.Fatal("chunks were written out of order")
	}
}

func TestCollectInOrderWithLineNumbers(t *testing.T) {
	input := strings.Repeat("line\n", 1000)
	var seqs []int
	var firstLines []int64
	_, err := Run(context.Background(), strings.NewReader(input), io.Discard, Options[none, none]{
		Workers: 3, ChunkSize: 64, Split: SplitLines, Process: upperLines,
		Collect: func(info ChunkInfo, _ none) error {
			seqs = append(seqs, info.Seq)
			firstLines = append(firstLines, info.FirstLine)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range seqs {
		if s != i {
			t.Fatalf("Collect saw chunk %d at position %d", s, i)
		}
		if want := int64(i*60/5) + 1; firstLines[i] != want { // 64-byte reads cut after 12 lines of 5 bytes
			t.Fatalf("chunk %d: FirstLine %d, want %d", i, firstLines[i], want)
		}
	}
}

var errBadNumber = errors.New("bad number")

func TestPositionErrorIsAbsolute(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 500; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	failAt := func(_ context.Context, c Chunk[none], dst []byte) (Result[none], error) {
		lines := bytes.Split(c.Data, []byte{'\n'})
		var off int64
		for i, l := range lines {
			if string(l) == "321" {
				return Result[none]{}, &position.Error{Line: int64(i + 1), Column: 2, Offset: off, Err: errBadNumber}
			}
			off += int64(len(l) + 1)
		}
		return Result[none]{Lines: int64(bytes.Count(c.Data, []byte{'\n'}))}, nil
	}
	_, err := Run(context.Background(), strings.NewReader(b.String()), io.Discard, Options[none, none]{Workers: 2, ChunkSize: 50, Split: SplitLines, Process: failAt})
	var le *position.Error
	if !errors.As(err, &le) || !errors.Is(err, errBadNumber) {
		t.Fatalf("err = %v, want a *position.Error wrapping errBadNumber", err)
	}
	wantOffset := int64(strings.Index(b.String(), "\n321\n") + 1)
	if le.Line != 321 || le.Column != 2 || le.Offset != wantOffset {
		t.Fatalf("error at line %d col %d offset %d, want line 321 col 2 offset %d", le.Line, le.Column, le.Offset, wantOffset)
	}
	if !strings.Contains(err.Error(), "line 321, column 2: bad number") {
		t.Errorf("message %q", err)
	}
}

func TestStateReachesTheWorker(t *testing.T) {
	// A split that tags each chunk with the number of the chunk: the worker
	// writes the tag, so the output proves each chunk got its own state.
	n := 0
	split := func(data []byte, atEOF bool) (int, int, error) {
		k, _, _ := SplitLines(data, atEOF)
		if k == 0 {
			return 0, 0, nil
		}
		n++
		return k, n, nil
	}
	tag := func(_ context.Context, c Chunk[int], dst []byte) (Result[none], error) {
		return Result[none]{Out: fmt.Appendf(dst, "<%d>", c.State)}, nil
	}
	var out bytes.Buffer
	if _, err := Run(context.Background(), strings.NewReader("a\nb\nc\n"), &out, Options[int, none]{ChunkSize: 2, Workers: 2, Split: split, Process: tag}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "<1><2><3>" {
		t.Fatalf("got %q", out.String())
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errors.New("no space left on device")
	}
	return len(p), nil
}

func TestWriterErrorStopsTheRun(t *testing.T) {
	input := strings.Repeat("0123456789\n", 100000)
	_, err := Run(context.Background(), strings.NewReader(input), &failingWriter{after: 5000}, Options[none, none]{ChunkSize: 1024, Split: SplitLines, Process: upperLines})
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	block := func(ctx context.Context, c Chunk[none], dst []byte) (Result[none], error) {
		if c.Seq == 0 {
			cancel() // as Ctrl-C would, while the other workers are busy
		}
		<-ctx.Done()
		return Result[none]{}, ctx.Err()
	}
	_, err := Run(ctx, strings.NewReader(strings.Repeat("x\n", 100000)), io.Discard, Options[none, none]{ChunkSize: 64, Split: SplitLines, Process: block})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSplitMustConsumeAtEOF(t *testing.T) {
	never := func(data []byte, atEOF bool) (int, none, error) { return 0, none{}, nil }
	_, err := Run(context.Background(), strings.NewReader("abc"), io.Discard, Options[none, none]{Split: never, Process: passThrough})
	if err == nil {
		t.Fatal("a SplitFunc that never cuts went unnoticed")
	}
}

func TestEmptyInput(t *testing.T) {
	var out bytes.Buffer
	called := false
	p := func(ctx context.Context, c Chunk[none], dst []byte) (Result[none], error) {
		called = true
		return Result[none]{}, nil
	}
	if _, err := Run(context.Background(), strings.NewReader(""), &out, Options[none, none]{Split: SplitLines, Process: p}); err != nil || out.Len() != 0 || called {
		t.Fatalf("err %v, out %q, processed %v", err, out.String(), called)
	}
}

func BenchmarkPassThrough(b *testing.B) {
	input := []byte(strings.Repeat("FIELD=some value of a record line\r\n", 1<<16))
	b.SetBytes(int64(len(input)))
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), bytes.NewReader(input), io.Discard, Options[none, none]{Split: SplitLines, Process: passThrough}); err != nil {
			b.Fatal(err)
		}
	}
}
