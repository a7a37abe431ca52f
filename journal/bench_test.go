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
	var in bytes.Buffer
	if _, err := infotoolgen.WriteJournal(&in, infotoolgen.Options{Size: 64 << 20}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		workers  int
		validate bool
	}{{1, false}, {2, false}, {1, true}, {2, true}} {
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
