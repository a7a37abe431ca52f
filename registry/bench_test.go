package registry

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/reggen"
)

// BenchmarkWow64 moves the keys of a generated 16 MiB UTF-16LE export.
func BenchmarkWow64(b *testing.B) {
	var in bytes.Buffer
	if _, err := reggen.Generate(&in, reggen.Options{Size: 16 << 20}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(in.Len()))
	for b.Loop() {
		if _, err := Wow64(context.Background(), bytes.NewReader(in.Bytes()), io.Discard, Wow64Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
