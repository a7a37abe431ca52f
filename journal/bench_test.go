package journal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/infotoolgen"
)

// BenchmarkFix measures the fast path on a generated 64 MiB CRLF journal in
// memory (no disk): go test -bench Fix -run XXX ./journal
func BenchmarkFix(b *testing.B) {
	benchmarkFix(b, infotoolgen.Options{Size: 64 << 20}, []benchCase{{1, false}, {2, false}, {1, true}, {2, true}})
}

// BenchmarkFixHeaders measures the per-line cost: a 64 MiB journal of short
// header records (nine lines of about 17 bytes each, no BODY), the shape of
// a real export: go test -bench FixHeaders -run XXX ./journal
func BenchmarkFixHeaders(b *testing.B) {
	benchmarkFix(b, infotoolgen.Options{Size: 64 << 20, Headers: true}, []benchCase{{1, false}, {2, false}})
}

type benchCase struct {
	workers  int
	validate bool
}

func benchmarkFix(b *testing.B, gen infotoolgen.Options, cases []benchCase) {
	var in bytes.Buffer
	if _, err := infotoolgen.WriteJournal(&in, gen); err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("workers=%d/validate=%v", c.workers, c.validate), func(b *testing.B) {
			b.SetBytes(int64(in.Len()))
			for b.Loop() {
				if _, err := Fix(context.Background(), bytes.NewReader(in.Bytes()), io.Discard, Options{Workers: c.workers, Validate: c.validate}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
