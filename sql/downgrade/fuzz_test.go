package downgrade

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// goldenBatches returns the batches of every golden input (split at GO lines).
func goldenBatches(t testing.TB) [][]byte {
	ins, _ := filepath.Glob("testdata/*.in.sql")
	if len(ins) < 40 {
		t.Fatalf("found %d golden inputs in testdata, want at least 40", len(ins))
	}
	var out [][]byte
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		var cur []byte
		for _, ln := range bytes.SplitAfter(src, []byte("\n")) {
			if isGoLine(ln) {
				out = append(out, cur)
				cur = nil
				continue
			}
			cur = append(cur, ln...)
		}
		out = append(out, cur)
	}
	return out
}

// isGoLine is a simple GO line test for splitting test inputs.
func isGoLine(ln []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(ln), []byte("GO"))
}

// checkBatch checks the invariants of RewriteBatch on src for target:
// the prefilter never skips a batch a rule would touch, every edit starts
// and ends on token boundaries, and the bytes outside the edits come out
// unchanged and in order.
func checkBatch(t *testing.T, src []byte, target version.Version) {
	opts := Options{Target: target, CollationMap: map[string]string{"Latin1_General_100_CI_AS_SC_UTF8": "Latin1_General_100_CI_AS_SC"}}
	b := newBatch(src, &opts, Position{})
	b.run()
	b.resolveWraps()
	if !mayMatch(src, target) && (len(b.findings) > 0 || len(b.edits) > 0) {
		t.Fatalf("prefilter skipped a batch with %d findings, %d edits: %q", len(b.findings), len(b.edits), src)
	}
	bounds := map[int]bool{0: true, len(src): true}
	for _, tk := range tsql.Lex(src) {
		bounds[tk.Start], bounds[tk.End] = true, true
	}
	for _, e := range b.edits {
		if !bounds[e.start] || !bounds[e.end] || e.start > e.end {
			t.Fatalf("edit [%d,%d) cuts a token in %q", e.start, e.end, src)
		}
	}
	out, _ := RewriteBatch(src, opts, Position{})
	if len(b.edits) == 0 {
		if !bytes.Equal(out, src) {
			t.Fatalf("no edits but output changed: %q -> %q", src, out)
		}
		return
	}
	// Walk the kept spans: each must appear in out, in order, with the
	// replacements (and at most one separating blank) between them.
	sort.SliceStable(b.edits, func(x, y int) bool { return b.edits[x].start < b.edits[y].start })
	rest := out
	at := 0
	for _, e := range b.edits {
		if e.start < at {
			continue // overlapping edits are dropped
		}
		keep := src[at:e.start]
		if !bytes.HasPrefix(rest, keep) {
			t.Fatalf("bytes before an edit changed:\nsrc %q\nout %q", src, out)
		}
		rest = rest[len(keep):]
		if !bytes.HasPrefix(rest, []byte(e.repl)) {
			t.Fatalf("replacement %q missing in %q", e.repl, out)
		}
		rest = rest[len(e.repl):]
		if e.repl == "" && e.start > 0 && e.end < len(src) && wordByte(src[e.start-1]) && wordByte(src[e.end]) {
			if len(rest) == 0 || rest[0] != ' ' {
				t.Fatalf("words glued together in %q", out)
			}
			rest = rest[1:]
		}
		at = e.end
	}
	if !bytes.Equal(rest, src[at:]) {
		t.Fatalf("bytes after the last edit changed:\nsrc %q\nout %q", src, out)
	}
}

func TestPrefilterAndSpans(t *testing.T) {
	for _, src := range goldenBatches(t) {
		for _, v := range version.All() {
			checkBatch(t, src, v)
		}
	}
}

func FuzzRewriteBatch(f *testing.F) {
	for _, src := range goldenBatches(f) {
		f.Add(src, uint8(3))
	}
	f.Add([]byte("0x1Fjson [json] $(x)json 1E3TRIM( N'a'TRIM("), uint8(3))
	f.Add([]byte("EXEC (N'EXEC (N''CREATE OR ALTER VIEW v AS SELECT 1'')') IF 1=1 EXEC sp_executesql N'ALTER DATABASE CURRENT SET X = 1'"), uint8(0))
	f.Fuzz(func(t *testing.T, src []byte, v uint8) {
		all := version.All()
		checkBatch(t, src, all[int(v)%len(all)])
	})
}

// TestPrefilterDataBatches: SSMS data batches are not lexed, whatever their
// strings, comments and column names hold; a type name in brackets is.
func TestPrefilterDataBatches(t *testing.T) {
	for src, want := range map[string]bool{
		"INSERT [dbo].[T] ([Id], [Format], [Trim], [Order]) VALUES (1, N'CREATE OR ALTER; STRING_AGG(', 0x1F, 1E3)\r\n":     false,
		"SET IDENTITY_INSERT [dbo].[T] ON\r\nINSERT [dbo].[T] ([Id]) VALUES (CAST(N'2024-01-01' AS DateTime)) -- TRIM(\r\n": false,
		"INSERT [dbo].[T] ([Id], [Doc]) VALUES (1, CAST(N'{}' AS [json]))\r\n":                                              true,
		"INSERT [dbo].[T] ([Id]) SELECT TRIM(x) FROM dbo.S\r\n":                                                             true,
	} {
		if got := mayMatch([]byte(src), version.SQL2014); got != want {
			t.Errorf("mayMatch(%q) = %v, want %v", src, got, want)
		}
	}
}
