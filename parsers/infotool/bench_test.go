package infotool_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/testgen/infotoolgen"
	"github.com/xdm-migrate/xdm/parsers/infotool"
)

// benchJournal returns a generated journal export of 100 MiB (or the file
// named by XDM_BENCH_JOURNAL), made once in /tmp/xdm-bench-infotool. Run
// bench/infotool.sh for the figures in docs/benchmarks.md ("infotool parsers").
func benchJournal(b *testing.B) (string, int64) {
	b.Helper()
	path := os.Getenv("XDM_BENCH_JOURNAL")
	if path == "" {
		path = filepath.Join(os.TempDir(), "xdm-bench-infotool", "journal-100M.txt")
		benchOnce.Do(func() { benchErr = writeBenchJournal(path) })
		if benchErr != nil {
			b.Fatal(benchErr)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, st.Size()
}

var (
	benchOnce sync.Once
	benchErr  error
)

func writeBenchJournal(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := atomicfile.Create(path, false)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := infotoolgen.WriteJournal(f, infotoolgen.Options{Size: 100 << 20, Seed: 1}); err != nil {
		return err
	}
	return f.Commit()
}

func benchFile(b *testing.B, fn func(r *infotool.Reader) error) {
	path, size := benchJournal(b)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		err = fn(infotool.NewReader(bufio.NewReaderSize(f, 1<<20), path))
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// drain calls next until it fails; io.EOF is success.
func drain(next func() error) error {
	for {
		if err := next(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// BenchmarkSplit: the byte splitter alone (ReadRaw), no parsing.
func BenchmarkSplit(b *testing.B) {
	benchFile(b, func(r *infotool.Reader) error {
		return drain(func() error { _, err := r.ReadRaw(); return err })
	})
}

// BenchmarkRead: splitter and ANTLR parse of every record on one goroutine.
func BenchmarkRead(b *testing.B) {
	benchFile(b, func(r *infotool.Reader) error {
		return drain(func() error { _, err := r.Read(); return err })
	})
}

// BenchmarkWalk: splitter plus ANTLR parse on GOMAXPROCS goroutines.
func BenchmarkWalk(b *testing.B) {
	benchFile(b, func(r *infotool.Reader) error {
		return r.Walk(context.Background(), infotool.WalkOptions{}, func(*infotool.Record) error { return nil })
	})
}

// BenchmarkWalkSkipFields: the walk of xdm infotool validate, records
// checked against the grammar without a tree or decoded values.
func BenchmarkWalkSkipFields(b *testing.B) {
	benchFile(b, func(r *infotool.Reader) error {
		return r.Walk(context.Background(), infotool.WalkOptions{SkipFields: true}, func(*infotool.Record) error { return nil })
	})
}
