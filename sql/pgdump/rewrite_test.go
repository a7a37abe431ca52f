package pgdump

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/pgdumpgen"
	"github.com/xdm-migrate/xdm/position"
	"io"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the current output")

func rewriteBytes(t testing.TB, in []byte, opt Options) ([]byte, *Report, error) {
	t.Helper()
	var out bytes.Buffer
	rep, err := Rewrite(context.Background(), bytes.NewReader(in), &out, opt)
	return out.Bytes(), rep, err
}

// TestGolden rewrites every testdata/*.in and compares with its .golden.
func TestGolden(t *testing.T) {
	ins, _ := filepath.Glob("testdata/*.in")
	if len(ins) == 0 {
		t.Fatal("no testdata/*.in")
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			// Small chunks so that blocks straddle chunk boundaries.
			got, _, err := rewriteBytes(t, src, Options{ChunkSize: 64})
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".in") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s:\n%s", golden, got)
			}
			again, rep, err := rewriteBytes(t, got, Options{})
			if err != nil || !bytes.Equal(again, got) || rep.Changed != 0 {
				t.Errorf("second run not a no-op: err %v, changed %d", err, rep.Changed)
			}
		})
	}
}

func TestRewriteUTF8Report(t *testing.T) {
	src, _ := os.ReadFile("testdata/utf8.in")
	out, rep, err := rewriteBytes(t, src, Options{ChunkSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	// pg_dump writes the tables' data in the order of their schemas' names.
	if len(rep.Tables) != 2 || rep.Tables[0].Table != "invitees" || rep.Tables[0].Rows != 2 || rep.Tables[0].Changed != 2 ||
		rep.Tables[1].Table != "symconferenceusertempl" || rep.Tables[1].Rows != 13 || rep.Tables[1].Changed != 9 || len(rep.Missing) != 0 {
		t.Errorf("report %+v", rep)
	}
	for _, want := range []string{
		"1\tAlice\talice@example.com\n",
		"3\t\\N\t\\N\n",
		"4\tTab\\tName\ttab\\tin@x.de\n",
		"5\tNL\tline\\nbreak@x.de\n",
		"6\tBS\tback\\\\slash@x.de\n",
		"7\tUpper\tabc@x.de\n",
		"8\tMixed\tabc@x.de\n",
		"9\tDÄ\tärger@beispiel.de\n", // only the address changes
		"10\tS\tstraße@x.de\n",
		"11\tG\tσοφιασ@x.gr\n",        // per character, as lower() with glibc
		"12\tLower\tunchanged@x.de\n", // already lower case: bytes kept
		"13\tE\t\n",
		"1\tKEEP@X.DE\n", // not a target table
		"ALTER TABLE ONLY symvcc.symconferenceusertempl\n",
		"\\unrestrict xdmSample\n",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %q", want)
		}
	}
	if len(rep.Sample) == 0 || rep.Sample[0] != (Change{Line: 95, Old: "Carol@X.COM", New: "carol@x.com"}) {
		t.Errorf("sample %+v", rep.Sample)
	}
}

func TestRewriteSingleByteEncodings(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"testdata/latin1.in", "1\t\xe4rger@beispiel.de\n2\t\xe9cole@x.fr\n3\t\xe0lready@x.fr\n"},
		{"testdata/win1252.in", "1\t\x9akoda@x.cz\n2\t\x9cuvre@x.fr\n"},
	} {
		src, _ := os.ReadFile(tc.file)
		out, rep, err := rewriteBytes(t, src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte(tc.want)) {
			t.Errorf("%s: output lacks %q:\n%q", tc.file, tc.want, out)
		}
		if rep.Changed != 2 {
			t.Errorf("%s: changed %d, want 2", tc.file, rep.Changed)
		}
	}
}

func TestRewriteASCII(t *testing.T) {
	src, _ := os.ReadFile("testdata/utf8.in")
	out, _, err := rewriteBytes(t, src, Options{ASCII: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"9\tDÄ\tÄrger@beispiel.de\n", "10\tS\tstraße@x.de\n", "11\tG\tΣΟΦΙΑΣ@x.gr\n"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("--ascii output lacks %q", want)
		}
	}
}

func TestRewriteQuotedAndSearchPath(t *testing.T) {
	src, _ := os.ReadFile("testdata/quoted.in")
	out, rep, err := rewriteBytes(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("1\tmixed@case.de\tKeep Me\n")) || !bytes.Contains(out, []byte("zoë@x.com\t1\n")) {
		t.Errorf("quoted names not rewritten:\n%s", out)
	}
	if len(rep.Tables) != 2 || rep.Tables[1].Schema != "symVCC" || rep.Tables[1].Table != "symConferenceUserTempl" || rep.Tables[1].Column != "InvitationAddress" {
		t.Errorf("names as in the dump: %+v", rep.Tables[0])
	}
	src, _ = os.ReadFile("testdata/search-path.in")
	out, rep, err = rewriteBytes(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("1\t1\told@style.com\n")) || !bytes.Contains(out, []byte("1\t1\tNot@Target.COM\n")) {
		t.Errorf("search_path not followed:\n%s", out)
	}
	if len(rep.Missing) != 1 || rep.Missing[0].Table != "symConferenceUserTempl" {
		t.Errorf("missing %+v", rep.Missing)
	}
}

const collisionDump = `SET client_encoding = 'UTF8';
COPY symconferencing.invitees (id, conferenceid, invitationaddress) FROM stdin;
1	10	Ann@X.COM
2	10	ann@x.com
3	11	Bob@X.COM
4	12	bob@x.com
5	\N	Eve@X.COM
6	\N	eve@x.com
\.

COPY symvcc.symconferenceusertempl (id, invitationaddress) FROM stdin;
1	Zed@X
2	zed@x
\.

ALTER TABLE ONLY symconferencing.invitees
    ADD CONSTRAINT invitees_conf_addr UNIQUE (conferenceid, invitationaddress);
CREATE UNIQUE INDEX vcc_lower ON symvcc.symconferenceusertempl USING btree (lower((invitationaddress)::text));
`

func TestRewriteCollisions(t *testing.T) {
	_, rep, err := rewriteBytes(t, []byte(collisionDump), Options{ChunkSize: 32})
	if !errors.Is(err, ErrCollisions) {
		t.Fatalf("err = %v, want ErrCollisions", err)
	}
	var got []string
	for _, c := range rep.Collisions {
		got = append(got, c.String())
	}
	want := `symconferencing.invitees: invitees_conf_addr (line 16): (conferenceid=10, invitationaddress=ann@x.com) would be shared by "Ann@X.COM" (line 3), "ann@x.com" (line 4)`
	if strings.Join(got, "\n") != want {
		t.Errorf("collisions:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

func TestRewriteMalformedRow(t *testing.T) {
	src := "COPY symvcc.symconferenceusertempl (id, invitationaddress) FROM stdin;\n1\tA@X\n2\n\\.\n"
	for _, chunk := range []int{0, 5, 80} {
		_, _, err := rewriteBytes(t, []byte(src), Options{Name: "dump.sql", ChunkSize: chunk})
		var pe *position.Error
		if !errors.As(err, &pe) || !errors.Is(err, ErrFormat) || pe.Offset != int64(strings.Index(src, "2\n")) ||
			!strings.HasPrefix(err.Error(), "dump.sql:3:1: ") || !strings.Contains(err.Error(), "has 1 field,") {
			t.Errorf("chunk size %d: err = %v, want dump.sql:3:1 with 1 field", chunk, err)
		}
	}
	src = "COPY symvcc.symconferenceusertempl (id, invitationaddress, InvitationAddress) FROM stdin;\n\\.\n"
	_, _, err := rewriteBytes(t, []byte("SELECT 1;\n"+src), Options{Name: "d"})
	var pe *position.Error
	if !errors.As(err, &pe) || !errors.Is(err, ErrFormat) || pe.Line != 2 || pe.Offset != 10 || !strings.Contains(err.Error(), "names two columns") {
		t.Errorf("two target columns: %v", err)
	}
}

// TestRewriteTruncated: a dump cut off inside COPY data, without its \.
// line, is an error naming the end of the file and the COPY block.
func TestRewriteTruncated(t *testing.T) {
	head := "SET client_encoding = 'UTF8';\nCOPY symvcc.symconferenceusertempl (id, invitationaddress) FROM stdin;\n"
	for _, tc := range []struct{ in, want string }{
		{head + "1\tA@X\n2\tB@X\n", "d:4: truncated dump: the file ends inside the COPY block of symvcc.symconferenceusertempl (line 2)"},
		{head + "1\tA@X\n2\tB@", "d:4: truncated dump"},
		{head, "d:2: truncated dump"},
		{"COPY public.messages (id, body) FROM stdin;\r\n1\tHallo\r\n", "d:2: truncated dump: the file ends inside a COPY block (line 1)"},
	} {
		for _, chunk := range []int{0, 7} {
			_, _, err := rewriteBytes(t, []byte(tc.in), Options{Name: "d", ChunkSize: chunk})
			if !errors.Is(err, ErrTruncated) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("%q (chunk size %d): err = %v, want %s", tc.in, chunk, err, tc.want)
			}
		}
	}
	// Complete dumps, with or without a final newline, are not truncated.
	for _, in := range []string{head + "1\tA@X\n\\.\n", head + "1\tA@X\n\\.", "COPY t (a) FROM stdin;\n\\.\r\n"} {
		if _, _, err := rewriteBytes(t, []byte(in), Options{ChunkSize: 7}); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestRewriteUnsupportedEncoding(t *testing.T) {
	src := "SET client_encoding = 'EUC_JP';\nCOPY symvcc.symconferenceusertempl (id, invitationaddress) FROM stdin;\n1\tA@X\n\\.\n"
	if _, _, err := rewriteBytes(t, []byte(src), Options{}); !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), "EUC_JP") || strings.Contains(err.Error(), "--") {
		t.Errorf("err = %v", err)
	}
	out, _, err := rewriteBytes(t, []byte(src), Options{ASCII: true})
	if err != nil || !bytes.Contains(out, []byte("1\ta@x\n")) {
		t.Errorf("--ascii on EUC_JP: %v\n%s", err, out)
	}
}

func TestPassThroughWithoutTargets(t *testing.T) {
	src := []byte("\\restrict abc\r\nCOPY public.t (a) FROM stdin;\r\nX\\.\r\n\\.\r\nSELECT 1;")
	out, rep, err := rewriteBytes(t, src, Options{})
	if err != nil || !bytes.Equal(out, src) || len(rep.Missing) != 2 {
		t.Errorf("err %v, report %+v, out %q", err, rep, out)
	}
}

func ExampleRewrite() {
	dump := "SET client_encoding = 'UTF8';\n" +
		"COPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n" +
		"1\tJane.Doe@Example.COM\n" +
		"2\t\\N\n" +
		"\\.\n"
	rep, err := Rewrite(context.Background(), strings.NewReader(dump), os.Stdout, Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range rep.Tables {
		fmt.Printf("%s.%s: %d rows, %d changed\n", t.Schema, t.Table, t.Rows, t.Changed)
	}
	// Output:
	// SET client_encoding = 'UTF8';
	// COPY symconferencing.invitees (id, invitationaddress) FROM stdin;
	// 1	jane.doe@example.com
	// 2	\N
	// \.
	// symconferencing.invitees: 2 rows, 1 changed
}

func TestUnfinishedStatementDoesNotHideCopy(t *testing.T) {
	src := "CREATE FUNCTION f() RETURNS void AS $$\nALTER TABLE x\n$$ LANGUAGE sql\n\n" +
		"COPY symvcc.symconferenceusertempl (id, invitationaddress) FROM stdin;\n1\tA@B\n\\.\n"
	out, _, err := rewriteBytes(t, []byte(src), Options{})
	if err != nil || !bytes.Contains(out, []byte("1\ta@b\n")) {
		t.Errorf("err %v, out %q", err, out)
	}
}

func TestLocaleMismatch(t *testing.T) {
	for _, tc := range []struct {
		line  string
		ascii bool
		want  LocaleMismatch
	}{
		{"CREATE DATABASE mrsdb WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C';", false, LocaleASCIIOnly},
		{"CREATE DATABASE mrsdb WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C';", true, LocaleMatches},
		{"CREATE DATABASE mrsdb WITH TEMPLATE = template0 ENCODING = 'UTF8' LC_COLLATE = 'de_DE.UTF-8' LC_CTYPE = 'de_DE.UTF-8';", false, LocaleMatches},
		{"CREATE DATABASE mrsdb WITH TEMPLATE = template0 ENCODING = 'UTF8' LC_COLLATE = 'de_DE.UTF-8' LC_CTYPE = 'de_DE.UTF-8';", true, LocaleBeyondASCII},
		{"CREATE DATABASE i1 WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = icu LOCALE = 'C.UTF-8' ICU_LOCALE = 'de-DE';", false, LocaleICU},
		{"SELECT 1;", false, LocaleMatches},
	} {
		_, rep, err := rewriteBytes(t, []byte(tc.line+"\n"), Options{ASCII: tc.ascii})
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.LocaleMismatch(tc.ascii); got != tc.want {
			t.Errorf("%s (ascii %v): %v, want %v", tc.line, tc.ascii, got, tc.want)
		}
	}
}

func TestParseStatements(t *testing.T) {
	h, ok := parseCopyHeader([]byte(`COPY "symVCC"."sym""Q" ("ID", invitationaddress) FROM stdin;`))
	if !ok || h.schema != "symVCC" || h.table != `sym"Q` || strings.Join(h.columns, ",") != "ID,invitationaddress" {
		t.Errorf("header %+v %v", h, ok)
	}
	if _, ok := parseCopyHeader([]byte(`COPY t (a) FROM stdin WITH (FORMAT csv);`)); ok {
		t.Error("COPY with options accepted")
	}
	u, ok := parseUnique([]byte("ALTER TABLE ONLY symconferencing.invitees\n    ADD CONSTRAINT c UNIQUE NULLS NOT DISTINCT (conferenceid, \"InvitationAddress\");\n"))
	if !ok || u.name != "c" || !u.nullsEqual || strings.Join(u.columns, ",") != "conferenceid,InvitationAddress" {
		t.Errorf("constraint %+v %v", u, ok)
	}
	u, ok = parseUnique([]byte(`CREATE UNIQUE INDEX i ON ONLY s.t USING btree (lower((a)::text), b DESC) WHERE (c > 0);`))
	if !ok || u.schema != "s" || u.columns[0] != "" || u.exprs[0] != "lower((a)::text)" || u.columns[1] != "b" || !u.partial {
		t.Errorf("index %+v %v", u, ok)
	}
	if _, ok := parseUnique([]byte(`ALTER TABLE ONLY s.t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES s.u(a);`)); ok {
		t.Error("foreign key taken for a unique constraint")
	}
}

// TestGeneratedDump rewrites the benchmark's generated dump: every address
// with capitals is changed, nothing collides, and a second run changes
// nothing.
func TestGeneratedDump(t *testing.T) {
	var in bytes.Buffer
	st, err := pgdumpgen.Write(&in, pgdumpgen.Options{Size: 2 << 20, Templates: 3000, Invitees: 20000})
	if err != nil {
		t.Fatal(err)
	}
	out, rep, err := rewriteBytes(t, in.Bytes(), Options{ChunkSize: 64 << 10, Workers: 3})
	if err != nil || rep.Changed != int64(st.Changes) || rep.Rows != 23000 || len(rep.Tables) != 2 {
		t.Fatalf("err %v; %d rows, %d changed, want 23000 and %d", err, rep.Rows, rep.Changed, st.Changes)
	}
	if _, rep, err := rewriteBytes(t, out, Options{}); err != nil || rep.Changed != 0 {
		t.Errorf("second run: %v, %d changed", err, rep.Changed)
	}
}

// A dump cut off inside COPY data (a backup that was not written to the end)
// is an error naming the place; what was written must be discarded.
func ExampleRewrite_truncated() {
	dump := "COPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n" +
		"1\tJane.Doe@Example.COM\n" +
		"2\tJohn.Do"
	_, err := Rewrite(context.Background(), strings.NewReader(dump), io.Discard, Options{Name: "dump.sql"})
	fmt.Println(errors.Is(err, ErrTruncated))
	fmt.Println(err)
	// Output:
	// true
	// dump.sql:3: truncated dump: the file ends inside the COPY block of symconferencing.invitees (line 1), expected a line \. after its last row
}
