package script

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/sql/batch"
)

// countingWriter counts the bytes of the script.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

// BenchmarkScriptRows renders 100,000 generated rows per op (bigint identity,
// nvarchar with quotes and "$(", float, datetime2(7), varbinary) into
// multi-row INSERTs. The output goes to io.Discard, or appends to the file
// named by XDM_BENCH_OUT (bench/sqlscript.sh uses it for the cp peer).
func BenchmarkScriptRows(b *testing.B) {
	var w io.Writer = io.Discard
	if path := os.Getenv("XDM_BENCH_OUT"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		bw := bufio.NewWriterSize(f, 1<<20)
		defer bw.Flush()
		w = bw
	}
	benchRows(b, w, batch.Encoding{})
}

// benchRowsPerOp is the number of rows each op of the benchmarks writes.
const benchRowsPerOp = 100_000

// benchRows scripts benchRowsPerOp generated rows per op to w in enc and
// reports rows/s, MB/s of script and the script's size.
func benchRows(b *testing.B, w io.Writer, enc batch.Encoding) {
	cw := &countingWriter{w: w}
	snap := genSnapshot()
	opts := Options{DataOnly: true, Rows: genRows{benchRowsPerOp}, Encoding: enc}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := Script(context.Background(), cw, snap, opts); err != nil {
			b.Fatal(err)
		}
	}
	sec := time.Since(start).Seconds()
	b.ReportMetric(float64(benchRowsPerOp*b.N)/sec, "rows/s")
	b.ReportMetric(float64(cw.n)/sec/1e6, "MB/s")
	b.ReportMetric(float64(cw.n)/float64(b.N), "script-bytes/op")
}

// BenchmarkScriptEncoding writes 100,000 generated rows per op (as
// BenchmarkScriptRows) straight to a file in $XDM_BENCH_DIR (default: the
// test's temp folder), once per encoding: the cost of converting to UTF-16
// against the UTF-8 that is copied as it is.
func BenchmarkScriptEncoding(b *testing.B) {
	for _, enc := range []batch.Encoding{batch.UTF8, batch.UTF8BOM, batch.UTF16LE} {
		b.Run(enc.Name, func(b *testing.B) {
			dir := os.Getenv("XDM_BENCH_DIR")
			if dir == "" {
				dir = b.TempDir()
			}
			f, err := os.Create(filepath.Join(dir, "encoding.sql"))
			if err != nil {
				b.Fatal(err)
			}
			defer os.Remove(f.Name())
			defer f.Close()
			benchRows(b, f, enc)
		})
	}
}
