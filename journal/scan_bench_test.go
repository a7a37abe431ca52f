package journal

import (
	"bytes"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/infotoolgen"
)

// BenchmarkScan measures the line checks alone, without the engine, on 1 MiB
// chunks of a journal of header records: go test -bench Scan -run XXX ./journal
func BenchmarkScan(b *testing.B) {
	var in bytes.Buffer
	if _, err := infotoolgen.WriteJournal(&in, infotoolgen.Options{Size: 16 << 20, Headers: true}); err != nil {
		b.Fatal(err)
	}
	data := in.Bytes()
	for _, fast := range []bool{true, false} {
		name := "fast"
		if !fast {
			name = "general"
		}
		b.Run(name, func(b *testing.B) {
			f := &fixer{noFast: !fast}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				sp := &splitter{}
				for rest := data; len(rest) > 0; {
					n, st := sp.split(rest[:min(len(rest), DefaultChunkSize)], len(rest) <= DefaultChunkSize)
					if _, cerr := f.scan(rest[:n], st, &chunkStats{}); cerr != nil {
						b.Fatal(cerr.msg)
					}
					rest = rest[n:]
				}
			}
		})
	}
}
