package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"

	"github.com/xdm-migrate/xdm/backup"
)

// A backup tool hands the TAR stream it reads to Fix and writes what comes
// out: here an archive in memory with a dump.sql whose invitation address
// needs lowercasing. Memory stays bounded whatever the archive's size; a
// changed member is spooled to a temporary file because a bytes.Buffer
// cannot seek.
func ExampleFix() {
	dump := "SET client_encoding = 'UTF8';\n" +
		"COPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n" +
		"1\tAlice@Example.COM\n" +
		"\\.\n"
	var in bytes.Buffer
	tw := tar.NewWriter(&in)
	tw.WriteHeader(&tar.Header{Name: "SmartBackup/UCC/dump.sql", Mode: 0o644, Size: int64(len(dump))})
	tw.Write([]byte(dump))
	tw.Close()

	var out bytes.Buffer
	rep, err := backup.Fix(context.Background(), &in, &out, backup.Options{Fixes: backup.Fixes{UCC: true}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("changed:", rep.Changed)
	fmt.Println("addresses lowercased:", rep.UCC.Changed)
	fmt.Println("archive size:", rep.Bytes, "->", rep.Written)

	check, _ := backup.Inspect(context.Background(), &out, backup.Options{})
	fmt.Println("still needed:", check.Needs().Any())
	// Output:
	// changed: [SmartBackup/UCC/dump.sql]
	// addresses lowercased: 1
	// archive size: 2048 -> 2048
	// still needed: false
}
