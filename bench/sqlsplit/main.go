// Command sqlsplit is the benchmark driver for sql/batch: "gen" writes the
// deterministic INSERT script of internal/testgen/sqlinserts, "split" runs the
// batch reader over a file and prints what it found. bench/sqlrun.sh times it
// next to awk, cat and cp.
//
//	go run ./bench/sqlsplit gen -size 1G -o /tmp/xdm-bench-sqlrun/inserts.sql
//	go run ./bench/sqlsplit split [-raw] /tmp/xdm-bench-sqlrun/inserts.sql
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/internal/testgen/sqlinserts"
	"github.com/xdm-migrate/xdm/sql/batch"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sqlsplit gen -size 1G -o FILE | sqlsplit split [-raw] FILE")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "split":
		err = split(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlsplit:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	size := fs.String("size", "1G", "size: bytes, or with K, M, G")
	out := fs.String("o", "", "output file")
	rows := fs.Int("rows", 100, "INSERTs per batch")
	fs.Parse(args)
	n, err := parseSize(*size)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	written, batches, err := sqlinserts.Write(f, n, sqlinserts.Options{BatchRows: *rows, Seed: 1})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	fmt.Printf("%s: %d bytes, %d batches\n", *out, written, batches)
	return err
}

func split(args []string) error {
	fs := flag.NewFlagSet("split", flag.ExitOnError)
	raw := fs.Bool("raw", false, "raw mode (no substitution, every byte returned)")
	fs.Parse(args)
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	r := batch.NewReader(f, batch.Options{Name: fs.Arg(0), Raw: *raw})
	var batches, bytes, largest int
	for {
		it, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if it.Kind == batch.Batch {
			batches++
			bytes += len(it.SQL)
			largest = max(largest, len(it.SQL))
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("%d batches, %d bytes of SQL, largest batch %d bytes, Go heap in use %d KiB\n", batches, bytes, largest, ms.HeapInuse>>10)
	return nil
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}
