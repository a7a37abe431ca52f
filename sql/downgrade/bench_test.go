package downgrade

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/sqlinserts"
	"github.com/xdm-migrate/xdm/sql/tsql"
)

// BenchmarkDowngradeData: an SSMS-style data script (INSERT ... VALUES,
// 100 rows per batch), which the prefilter passes through unlexed.
func BenchmarkDowngradeData(b *testing.B) {
	var script bytes.Buffer
	if _, _, err := sqlinserts.Write(&script, 16<<20, sqlinserts.Options{Seed: 1}); err != nil {
		b.Fatal(err)
	}
	benchDowngrade(b, script.Bytes())
}

// BenchmarkDowngradeDDL: the XPhone schema script repeated, every batch of
// which goes through the ANTLR lexer and the rules.
func BenchmarkDowngradeDDL(b *testing.B) {
	one, err := os.ReadFile(ssmsScript)
	if err != nil {
		b.Fatal(err)
	}
	benchDowngrade(b, bytes.Repeat(one, 2<<20/len(one)))
}

func benchDowngrade(b *testing.B, script []byte) {
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Downgrade(context.Background(), bytes.NewReader(script), io.Discard, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLex: the generated ANTLR lexer alone on the schema script.
func BenchmarkLex(b *testing.B) {
	src, err := os.ReadFile(ssmsScript)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		tsql.Lex(src)
	}
}
