// Command genreg writes a generated .reg file (a regedit export of an XPR
// server's PP-COM tree) for benchmarks and manual tests:
//
//	go run ./internal/testgen/reggen/cmd/genreg -mib 200 -o /tmp/xpr.reg
//	go run ./internal/testgen/reggen/cmd/genreg -v4 -mib 1 -o /tmp/xpr4.reg
//
// It prints what it wrote on stderr.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/testgen/reggen"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genreg:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		mib    = flag.Int64("mib", 1, "approximate size in MiB")
		seed   = flag.Uint64("seed", 1, "seed of the pseudo-random sequence")
		v4     = flag.Bool("v4", false, "write REGEDIT4 (ANSI) instead of version 5.00 (UTF-16LE)")
		maxBin = flag.Int("max-binary", 0, "largest binary value in bytes (0: 16 KiB)")
		out    = flag.String("o", "", "output file (required)")
		force  = flag.Bool("f", false, "overwrite an existing output file")
	)
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		return fmt.Errorf("-o FILE is required")
	}
	f, err := atomicfile.Create(*out, *force)
	if err != nil {
		return err
	}
	defer f.Abort()
	st, err := reggen.Generate(f, reggen.Options{Size: *mib << 20, Seed: *seed, Version4: *v4, MaxBinary: *maxBin})
	if err != nil {
		return err
	}
	if err := f.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d bytes, %d keys (%d below HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM), %d values\n", *out, st.Bytes, st.Keys, st.PPCOM, st.Values)
	return nil
}
