package backup_test

import (
	"archive/tar"
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xdm-migrate/xdm/backup"
)

// benchArchive writes an archive with a 64 MiB message-store member and a
// dump.sql of about dumpMiB whose every row needs lowercasing.
func benchArchive(b *testing.B, dir string, dumpMiB int) string {
	b.Helper()
	path := filepath.Join(dir, "bench.tar")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	tw := tar.NewWriter(bw)
	blob := make([]byte, 64<<20)
	for i := range blob {
		blob[i] = byte(i * 7)
	}
	tw.WriteHeader(&tar.Header{Name: "SmartBackup/FOLDERS/store.bin", Mode: 0o644, Size: int64(len(blob)), Format: tar.FormatGNU})
	tw.Write(blob)
	dump := []byte("SET client_encoding = 'UTF8';\nCOPY symconferencing.invitees (id, conferenceid, invitationaddress) FROM stdin;\n")
	for i := 0; len(dump) < dumpMiB<<20; i++ {
		dump = fmt.Appendf(dump, "%d\t%d\tUser.%d@Example.COM\n", i, i/50, i)
	}
	dump = append(dump, "\\.\n"...)
	tw.WriteHeader(&tar.Header{Name: "SmartBackup/UCC/dump.sql", Mode: 0o644, Size: int64(len(dump)), Format: tar.FormatGNU})
	tw.Write(dump)
	if err := tw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkFixOutput compares the two ways Fix writes a changed member:
// patching the header of a file in place, and spooling the member to a
// temporary file for a writer that cannot seek.
//
//	go test -run XXX -bench FixOutput -benchtime 5x ./backup
func BenchmarkFixOutput(b *testing.B) {
	dir := b.TempDir()
	in := benchArchive(b, dir, 128)
	st, _ := os.Stat(in)
	for _, mode := range []string{"patched-file", "spooled-stream"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				src, _ := os.Open(in)
				dst, _ := os.Create(filepath.Join(dir, "out.tar"))
				var w io.Writer = dst
				if mode == "spooled-stream" {
					w = struct{ io.Writer }{dst}
				}
				rep, err := backup.Fix(context.Background(), src, w, backup.Options{Fixes: backup.Fixes{UCC: true}, TempDir: dir})
				if err != nil || len(rep.Changed) != 1 {
					b.Fatal(err, rep.Changed)
				}
				src.Close()
				dst.Close()
			}
		})
	}
}
