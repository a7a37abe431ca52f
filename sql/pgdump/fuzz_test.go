package pgdump

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCopyField checks the COPY text codec: encoding then decoding gives the
// value back, decoding never panics, and re-encoding a decoded field gives a
// field that decodes to the same value.
func FuzzCopyField(f *testing.F) {
	for _, s := range []string{`\N`, `a\tb`, `\101\x41\\\n`, `\x`, `\`, `\777`, "Ä\\r\\v\\b\\f", `\xZ\8`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		enc := EncodeField(nil, b)
		if bytes.ContainsAny(enc, "\t\n\r") {
			t.Fatalf("encoded field %q holds a separator", enc)
		}
		dec, null := DecodeField(nil, enc)
		if null && string(b) != `N` || !null && !bytes.Equal(dec, b) {
			// EncodeField(`\N` as text) is `\\N`, which is not NULL.
			t.Fatalf("round trip of %q: %q (null %v)", b, dec, null)
		}
		dec, null = DecodeField(nil, b)
		if null {
			return
		}
		again, _ := DecodeField(nil, EncodeField(nil, dec))
		if !bytes.Equal(again, dec) {
			t.Fatalf("decode(encode(decode(%q))) = %q, want %q", b, again, dec)
		}
	})
}

// FuzzRewrite runs the rewrite on arbitrary dumps: it must not panic, and
// every line it changes must be a row whose fields are all identical but one,
// which is already lower case in the output.
func FuzzRewrite(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*.in")
	if len(ins) == 0 {
		f.Fatal("no testdata/*.in")
	}
	for _, in := range ins {
		b, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(16))
	}
	f.Add([]byte(collisionDump), uint8(7))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		var out bytes.Buffer
		_, err := Rewrite(context.Background(), bytes.NewReader(in), &out, Options{ChunkSize: int(chunk) + 1, Workers: 2})
		if err != nil && err != ErrCollisions {
			return
		}
		inLines := bytes.SplitAfter(in, []byte("\n"))
		outLines := bytes.SplitAfter(out.Bytes(), []byte("\n"))
		if len(inLines) != len(outLines) {
			t.Fatalf("%d lines in, %d out", len(inLines), len(outLines))
		}
		// The lower-case check assumes UTF-8: skip it when the dump sets an encoding.
		checkLower := !bytes.Contains(in, []byte("client_encoding"))
		lw, _ := newLowerer("UTF8", false)
		var header copyHeader // of the last COPY block
		inCopy := false
		for i := range inLines {
			a, b := inLines[i], outLines[i]
			if inCopy {
				inCopy = !isEndMarker(trimEOL(a))
			} else if h, ok := parseCopyHeader(trimEOL(a)); ok {
				header, inCopy = h, true
			}
			if bytes.Equal(a, b) {
				continue
			}
			fa, fb := bytes.Split(trimEOL(a), []byte("\t")), bytes.Split(trimEOL(b), []byte("\t"))
			if len(fa) != len(fb) || len(a)-len(trimEOL(a)) != len(b)-len(trimEOL(b)) {
				t.Fatalf("line %d: shape changed:\n%q\n%q", i+1, a, b)
			}
			diff := 0
			for k := range fa {
				if bytes.Equal(fa[k], fb[k]) {
					continue
				}
				diff++
				if k >= len(header.columns) || !strings.EqualFold(header.columns[k], "InvitationAddress") {
					t.Fatalf("line %d: field %d changed, not an InvitationAddress column of %+v", i+1, k, header)
				}
				v, _ := DecodeField(nil, fb[k])
				if checkLower && !bytes.Equal(lw.lower(nil, v), v) {
					t.Fatalf("line %d: field %d %q is not lower case", i+1, k, fb[k])
				}
			}
			if diff != 1 {
				t.Fatalf("line %d: %d fields changed:\n%q\n%q", i+1, diff, a, b)
			}
		}
	})
}

// FuzzStatements feeds arbitrary lines to the statement parsers: no panic,
// and a parsed COPY header names a table.
func FuzzStatements(f *testing.F) {
	for _, s := range []string{
		`COPY "symVCC"."symConferenceUserTempl" ("ID", "InvitationAddress") FROM stdin;`,
		`COPY invitees (id, invitationaddress) FROM stdin;`,
		"ALTER TABLE ONLY symconferencing.invitees\n    ADD CONSTRAINT x UNIQUE NULLS NOT DISTINCT (conferenceid, invitationaddress);",
		`CREATE UNIQUE INDEX i ON ONLY s.t USING btree (lower((a)::text), "B" DESC) WHERE (c > 0);`,
		`SET client_encoding = 'WIN1252';`, `SET search_path = "a""b", pg_catalog;`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if h, ok := parseCopyHeader(b); ok && h.table == "" {
			t.Fatalf("COPY header %q parsed without a table", b)
		}
		if u, ok := parseUnique(b); ok && (u.table == "" || len(u.columns) != len(u.exprs)) {
			t.Fatalf("unique definition %q parsed as %+v", b, u)
		}
		parseSet(b)
	})
}
