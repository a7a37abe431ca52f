package reg_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/reggen"
	"github.com/xdm-migrate/xdm/parsers/reg"
)

// BenchmarkRead reads a generated 8 MiB UTF-16LE export with the scanner
// and with the grammar (the ANTLR parser): what Reader.Grammar costs.
func BenchmarkRead(b *testing.B) {
	var in bytes.Buffer
	if _, err := reggen.Generate(&in, reggen.Options{Size: 8 << 20}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name            string
		grammar, noData bool
	}{{"scanner", false, false}, {"scanner-nodata", false, true}, {"grammar", true, false}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(in.Len()))
			for b.Loop() {
				r := reg.NewReader(bytes.NewReader(in.Bytes()), "bench.reg")
				r.Grammar, r.NoData = c.grammar, c.noData
				for {
					_, err := r.Read()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
