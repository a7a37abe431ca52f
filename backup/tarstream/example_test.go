package tarstream_test

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"

	"github.com/xdm-migrate/xdm/backup/tarstream"
)

// Walk the members of an archive at the level of their header blocks: each
// member's name, size and where its data starts, and its data as stored.
func ExampleReader() {
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive) // a ustar archive, as Go writes it
	for _, m := range []struct{ name, data string }{{"UCC/dump.sql", "SELECT 1;\n"}, {"INFOSTOR/fullexp.exp", "[JOURNAL]\r\n"}} {
		_ = tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), Typeflag: tar.TypeReg})
		_, _ = io.WriteString(tw, m.data)
	}
	_ = tw.Close()

	r := tarstream.NewReader(bytes.NewReader(archive.Bytes()))
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		data, _ := io.ReadAll(r)
		fmt.Printf("%s: %d bytes at offset %d, %d header bytes, %q\n", e.Name, e.Size, e.DataOffset, len(e.Raw), data)
	}
	t, err := r.CopyTrailer(io.Discard)
	fmt.Println(t.ZeroBlocks, "zero blocks at the end", err)
	// Output:
	// UCC/dump.sql: 10 bytes at offset 512, 512 header bytes, "SELECT 1;\n"
	// INFOSTOR/fullexp.exp: 11 bytes at offset 1536, 512 header bytes, "[JOURNAL]\r\n"
	// 2 zero blocks at the end <nil>
}
