// Command genjournal writes a generated infotool journal or full export for
// benchmarks and manual tests:
//
//	go run ./internal/testgen/infotoolgen/cmd/genjournal -size 100M -o /tmp/journal.txt
//	go run ./internal/testgen/infotoolgen/cmd/genjournal -full -records 1000 -o full.txt
//	go run ./internal/testgen/infotoolgen/cmd/genjournal -encoding utf-16le -size 10M -o j16.txt
//	go run ./internal/testgen/infotoolgen/cmd/genjournal -headers -size 340M -o headers.txt
//
// It prints what it wrote (records, records needing the CONTENTTYPE fix) on
// stderr.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/testgen/infotoolgen"
	"github.com/xdm-migrate/xdm/parsers/infotool"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genjournal:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		size    = flag.String("size", "1M", "approximate size: bytes, or with K, M, G (1024-based)")
		records = flag.Int("records", 0, "exact number of records (overrides -size)")
		seed    = flag.Uint64("seed", 1, "seed of the pseudo-random sequence")
		full    = flag.Bool("full", false, "write a full export instead of a journal export")
		mixed   = flag.Bool("mixed", false, "end some lines in LF instead of CRLF")
		maxBin  = flag.Int("max-binary", 0, "largest BODY in bytes (0: 48 KiB, <0: none)")
		headers = flag.Bool("headers", false, "short JOURNAL records of nine lines, no BODY (a real export's shape)")
		encName = flag.String("encoding", "cp1252", "file encoding: cp1252, utf-8 or utf-16le (with BOM)")
		out     = flag.String("o", "", "output file (required)")
		force   = flag.Bool("f", false, "overwrite an existing output file")
	)
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		return fmt.Errorf("-o FILE is required")
	}
	n, err := parseSize(*size)
	if err != nil {
		return err
	}
	enc, err := parseEncoding(*encName)
	if err != nil {
		return err
	}
	rw, err := atomicfile.Begin(atomicfile.RewriteOptions{Output: *out, Force: *force})
	if err != nil {
		return err
	}
	defer rw.Close()
	f, err := rw.Output()
	if err != nil {
		return err
	}
	opts := infotoolgen.Options{Size: n, Records: *records, Seed: *seed, MixedLineEnds: *mixed, MaxBinary: *maxBin, Encoding: enc, Headers: *headers}
	write := infotoolgen.WriteJournal
	if *full {
		write = infotoolgen.WriteFullExport
	}
	st, err := write(f, opts)
	if err != nil {
		return err
	}
	if err := rw.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d bytes, %d records, %d JOURNAL, %d need the CONTENTTYPE fix\n",
		*out, st.Bytes, st.Records, st.Journal, st.NeedFix)
	return nil
}

// parseEncoding reads an encoding name as Encoding.String spells it.
func parseEncoding(s string) (infotool.Encoding, error) {
	for _, e := range []infotool.Encoding{infotool.CP1252, infotool.UTF8, infotool.UTF16LE} {
		if strings.EqualFold(s, e.String()) {
			return e, nil
		}
	}
	return 0, fmt.Errorf("invalid -encoding %q: want cp1252, utf-8 or utf-16le", s)
}

// parseSize reads 123, 10K, 100M or 1G.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult = 1 << 10
	case strings.HasSuffix(s, "M"):
		mult = 1 << 20
	case strings.HasSuffix(s, "G"):
		mult = 1 << 30
	}
	n, err := strconv.ParseInt(strings.TrimRight(s, "KMG"), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid -size %q: want a number of bytes, optionally with K, M or G", s)
	}
	return n * mult, nil
}
