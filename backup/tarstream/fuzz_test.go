package tarstream_test

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/xdm-migrate/xdm/backup/tarstream"
)

// FuzzReader: the Reader never panics or loops; copying what it reads
// gives the input back byte for byte; a header rewritten to its own size is
// unchanged, and one rewritten to another size still reads.
func FuzzReader(f *testing.F) {
	for _, format := range []tar.Format{tar.FormatUSTAR, tar.FormatPAX, tar.FormatGNU} {
		f.Add(build(f, format, []member{{"fullexp.exp", "[JOURNAL]\r\nCONTENTTYPE=4352\r\n", 0}, {longName, "x", 0}, {"d/", "", tar.TypeDir}}, nil))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		// Random bytes seldom have a valid checksum: read the input as it
		// is and with every block's checksum made right, so that the
		// fuzzer reaches what follows the checksum test.
		roundTrip(t, in)
		roundTrip(t, withChecksums(in))
	})
}

func withChecksums(in []byte) []byte {
	out := bytes.Clone(in)
	for b := 0; b+512 <= len(out); b += 512 {
		blk := out[b : b+512]
		copy(blk[148:156], "        ")
		var sum int64
		for _, c := range blk {
			sum += int64(c)
		}
		copy(blk[148:156], fmt.Sprintf("%06o\x00 ", sum))
	}
	return out
}

func roundTrip(t *testing.T, in []byte) {
	{
		var out bytes.Buffer
		r := tarstream.NewReader(bytes.NewReader(in))
		for n := 0; ; n++ {
			if n > len(in)/512+1 {
				t.Fatal("more members than blocks")
			}
			e, err := r.Next()
			if err == io.EOF {
				if _, err := r.CopyTrailer(&out); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), in) {
					t.Fatal("the copy differs from the input")
				}
				return
			}
			if err != nil {
				return
			}
			if !e.Sparse && e.IsRegular() {
				same, err := e.WithSize(e.Size)
				if err != nil || !bytes.Equal(same, e.Raw) {
					t.Fatalf("WithSize(own size) changed the header: %v", err)
				}
				other, err := e.WithSize(e.Size + 1000)
				if err != nil {
					t.Fatal(err)
				}
				r2 := tarstream.NewReader(bytes.NewReader(append(other, make([]byte, 4096)...)))
				if e2, err := r2.Next(); err != nil || e2.Size != e.Size+1000 {
					t.Fatalf("rewritten header: %v", err)
				}
			}
			out.Write(e.Raw)
			if err := r.CopyData(&out, 0, nil); err != nil {
				return
			}
		}
	}
}
