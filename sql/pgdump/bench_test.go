package pgdump

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/xdm-migrate/xdm/transform"
)

// benchDump is a dump of about size bytes: invitees rows with mixed-case
// addresses, then a bulk table that passes through.
func benchDump(size, invitees int) []byte {
	var b bytes.Buffer
	b.WriteString("SET client_encoding = 'UTF8';\nCOPY symconferencing.invitees (id, conferenceid, invitationaddress) FROM stdin;\n")
	for i := 0; i < invitees; i++ {
		fmt.Fprintf(&b, "%d\t%d\tUser%d@Example.COM\n", i, i/50, i)
	}
	b.WriteString("\\.\n\nCOPY public.messages (id, body) FROM stdin;\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d\tGuten Tag,\\n\\ndie Einladung für die Konferenz %d folgt. Mit freundlichen Grüßen\\nÄrger Straße\n", i, i)
	}
	b.WriteString("\\.\nALTER TABLE ONLY symconferencing.invitees\n    ADD CONSTRAINT c UNIQUE (conferenceid, invitationaddress);\n")
	return b.Bytes()
}

// BenchmarkRewrite: go test -bench . -benchmem ./sql/pgdump (MB/s of input).
// BenchmarkPassThrough is the peer: the same engine with a line split and no
// work, so the difference is the cost of the dump rewrite itself.
func BenchmarkRewrite(b *testing.B) {
	for _, inv := range []int{0, 100000} {
		in := benchDump(32<<20, inv)
		b.Run(fmt.Sprintf("invitees=%d", inv), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := Rewrite(context.Background(), bytes.NewReader(in), io.Discard, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPassThrough(b *testing.B) {
	in := benchDump(32<<20, 100000)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		_, err := transform.Run(context.Background(), bytes.NewReader(in), io.Discard, transform.Options[struct{}, struct{}]{
			Split: transform.SplitLines,
			Process: func(context.Context, transform.Chunk[struct{}], []byte) (transform.Result[struct{}], error) {
				return transform.Result[struct{}]{}, nil
			},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
