// Command gendump writes a synthetic plain-format pg_dump of an XPR mrsdb to
// stdout for the ucc benchmarks (see package pgdumpgen):
//
//	go run ./internal/testgen/pgdumpgen/cmd/gendump -size 1024 -invitees 1000000 > dump.sql
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/xdm-migrate/xdm/internal/testgen/pgdumpgen"
)

func main() {
	sizeMB := flag.Int64("size", 1024, "approximate size of the dump in MiB")
	invitees := flag.Int("invitees", 1000000, "rows of symconferencing.invitees")
	templates := flag.Int("templates", 100000, "rows of symvcc.symconferenceusertempl")
	flag.Parse()
	if _, err := pgdumpgen.Write(os.Stdout, pgdumpgen.Options{Size: *sizeMB << 20, Invitees: *invitees, Templates: *templates}); err != nil {
		fmt.Fprintln(os.Stderr, "gendump:", err)
		os.Exit(1)
	}
}
