package batch

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/xdm-migrate/xdm/internal/testgen/sqlinserts"
	"github.com/xdm-migrate/xdm/position"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// goldenItem is an Item or an error as the golden files hold them.
type goldenItem struct {
	Kind    string `json:"kind,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int64  `json:"line,omitempty"`
	Ordinal int    `json:"ordinal,omitempty"`
	Repeat  int    `json:"repeat,omitempty"`
	Exit    bool   `json:"exit,omitempty"`
	SQL     string `json:"sql,omitempty"`
	Go      string `json:"go,omitempty"`
	Name    string `json:"name,omitempty"`
	Args    string `json:"args,omitempty"`
	Error   string `json:"error,omitempty"`
}

// readAll runs a Reader to the end and returns its items and line errors.
func readAll(t testing.TB, r io.Reader, opt Options) []goldenItem {
	t.Helper()
	rd := NewReader(r, opt)
	defer rd.Close()
	var out []goldenItem
	for {
		it, err := rd.Read()
		if err == io.EOF {
			return out
		}
		var le *position.Error
		if errors.As(err, &le) {
			out = append(out, goldenItem{Error: err.Error()})
			continue
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		g := goldenItem{Kind: it.Kind.String(), File: it.File, Line: it.Line}
		if it.Kind == Batch {
			g.Ordinal, g.Repeat, g.Exit, g.SQL, g.Go = it.Ordinal, it.Repeat, it.Exit, string(it.SQL), string(it.Go)
		} else {
			g.Name, g.Args = it.Name, it.Args
		}
		out = append(out, g)
	}
}

// corpus returns the testdata/*.sql scripts; the tests over them fail when
// there are none, so that a moved folder cannot make them pass empty.
func corpus(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.sql")
	if err != nil || len(files) < 9 {
		t.Fatalf("testdata/*.sql: %d files (%v), want the 9 or more of the corpus", len(files), err)
	}
	return files
}

// TestGolden splits every testdata/*.sql in the normal mode and compares the
// batches, commands and errors with the hand-written testdata/*.golden, and
// in raw mode with testdata/*.raw.golden where there is one.
func TestGolden(t *testing.T) {
	for _, file := range corpus(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got := readAll(t, f, Options{Name: filepath.ToSlash(file), Vars: map[string]string{"Preset": "from -v", "SQLCMDSERVER": "db01"}})
			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			compareGolden(t, got, golden)
			// Raw mode, where a case has a .raw.golden.
			rawGolden := strings.TrimSuffix(file, ".sql") + ".raw.golden"
			if _, err := os.Stat(rawGolden); err == nil {
				data, _ := os.ReadFile(file)
				compareGolden(t, readAll(t, bytes.NewReader(data), Options{Name: filepath.ToSlash(file), Raw: true}), rawGolden)
			}
		})
	}
}

// compareGolden compares items with a golden file, or rewrites it with -update.
func compareGolden(t *testing.T, got []goldenItem, golden string) {
	t.Helper()
	if *update {
		var b bytes.Buffer
		for _, g := range got {
			line, _ := json.Marshal(g)
			b.Write(append(line, '\n'))
		}
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readGolden(t, golden)
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w goldenItem
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("%s item %d:\n got %+v\nwant %+v", golden, i+1, g, w)
		}
	}
}

func readGolden(t *testing.T, path string) []goldenItem {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenItem
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var g goldenItem
		if err := json.Unmarshal(line, &g); err != nil {
			t.Fatalf("%s: %v in %s", path, err, line)
		}
		out = append(out, g)
	}
	return out
}

// rawItems splits in raw mode and returns the items (cloned) and the concatenation of Raw.
func rawItems(t testing.TB, r io.Reader) ([]Item, []byte) {
	rd := NewReader(r, Options{Raw: true})
	var items []Item
	var all []byte
	for {
		it, err := rd.Read()
		if err == io.EOF {
			return items, all
		}
		var le *position.Error
		if errors.As(err, &le) {
			continue
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if it.Kind == Batch && !bytes.Equal(it.Raw, append(append([]byte{}, it.SQL...), it.Go...)) {
			t.Fatalf("batch %d: Raw %q is not SQL %q + Go %q", it.Ordinal, it.Raw, it.SQL, it.Go)
		}
		if it.Offset != int64(len(all)) {
			t.Fatalf("item at line %d: Offset %d, want %d", it.Line, it.Offset, len(all))
		}
		all = append(all, it.Raw...)
		items = append(items, it.Clone())
	}
}

func TestRawReproducesInput(t *testing.T) {
	for _, file := range corpus(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, all := rawItems(t, bytes.NewReader(data)); !bytes.Equal(all, data) {
			t.Errorf("%s: raw items do not reproduce the input:\n got %q\nwant %q", file, all, data)
		}
	}
}

func TestRawItems(t *testing.T) {
	in := "\xEF\xBB\xBFSELECT 1\r\nGO\r\n:setvar X \"a b\"\r\nSELECT '$(X)'\r\n:on error ignore\r\nSELECT 2\r\nGO 2 -- twice\r\n\r\n"
	items, _ := rawItems(t, strings.NewReader(in))
	type want struct {
		kind        Kind
		line        int64
		ordinal     int
		sql, goLine string
		name, args  string
		repeat      int
	}
	wants := []want{
		{kind: Batch, line: 1, ordinal: 1, sql: "\xEF\xBB\xBFSELECT 1\r\n", goLine: "GO\r\n", repeat: 1},
		{kind: Command, line: 3, name: "setvar", args: `X "a b"`},
		{kind: Batch, line: 4, ordinal: 2, sql: "SELECT '$(X)'\r\n", repeat: 1},
		{kind: Command, line: 5, name: "on error", args: "ignore"},
		{kind: Batch, line: 6, ordinal: 2, sql: "SELECT 2\r\n", goLine: "GO 2 -- twice\r\n", repeat: 2},
		{kind: Batch, line: 8, ordinal: 3, sql: "\r\n", repeat: 1},
	}
	if len(items) != len(wants) {
		t.Fatalf("got %d items, want %d: %+v", len(items), len(wants), items)
	}
	for i, w := range wants {
		it := items[i]
		got := want{it.Kind, it.Line, it.Ordinal, string(it.SQL), string(it.Go), it.Name, it.Args, it.Repeat}
		if it.Kind == Command {
			got.ordinal, got.repeat = 0, 0
		}
		if got != w {
			t.Errorf("item %d:\n got %+v\nwant %+v", i+1, got, w)
		}
	}
}

// TestChunkingDoesNotMatter feeds the corpus one byte and half a read at a
// time: the items must be the same as from one read.
func TestChunkingDoesNotMatter(t *testing.T) {
	for _, file := range corpus(t) {
		data, _ := os.ReadFile(file)
		checkChunking(t, data)
	}
}

func checkChunking(t testing.TB, data []byte) {
	t.Helper()
	for _, raw := range []bool{false, true} {
		opt := Options{Raw: raw, Vars: map[string]string{"PRESET": "v"}, Open: func(string) (io.ReadCloser, error) {
			return nil, os.ErrNotExist
		}}
		whole := readAll(t, bytes.NewReader(data), opt)
		for name, r := range map[string]io.Reader{
			"OneByteReader": iotest.OneByteReader(bytes.NewReader(data)),
			"HalfReader":    iotest.HalfReader(bytes.NewReader(data)),
			"DataErrReader": iotest.DataErrReader(bytes.NewReader(data)),
		} {
			got := readAll(t, r, opt)
			if len(got) != len(whole) {
				t.Fatalf("raw=%v %s: %d items, whole input gives %d", raw, name, len(got), len(whole))
			}
			for i := range got {
				if got[i] != whole[i] {
					t.Fatalf("raw=%v %s: item %d is %+v, whole input gives %+v", raw, name, i+1, got[i], whole[i])
				}
			}
		}
	}
}

func TestLongLines(t *testing.T) {
	long := strings.Repeat("x", 300<<10)
	in := "SELECT '" + long + "\nGO\n'\r\nGO\n" + "SELECT 2\nGO"
	got := readAll(t, strings.NewReader(in), Options{})
	if len(got) != 2 || got[0].SQL != "SELECT '"+long+"\nGO\n'\r\n" || got[1].SQL != "SELECT 2\n" || got[1].Go != "GO" {
		t.Fatalf("long line split wrong: %d items", len(got))
	}
}

func TestSetvarParsing(t *testing.T) {
	cases := []struct {
		in, name, value string
		ok, err         bool
	}{
		{`X 1`, "X", "1", true, false},
		{`X "a ""b"" c"`, "X", `a "b" c`, true, false},
		{`X`, "X", "", false, false},
		{`X a b`, "", "", false, true},
		{`X "open`, "", "", false, true},
		{`$(Y) 1`, "", "", false, true},
	}
	for _, c := range cases {
		name, value, ok, err := ParseSetvar(c.in)
		if name != c.name || value != c.value || ok != c.ok || (err != nil) != c.err {
			t.Errorf("ParseSetvar(%q) = %q %q %v %v", c.in, name, value, ok, err)
		}
	}
}

func TestNoSubstitution(t *testing.T) {
	got := readAll(t, strings.NewReader("SELECT '$(X)'\n"), Options{NoSubstitution: true})
	if len(got) != 1 || got[0].SQL != "SELECT '$(X)'\n" {
		t.Fatalf("-x changed the text: %+v", got)
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		cp   int
		want string
	}{
		{"utf8", []byte("SELECT 'ä'\r\nGO"), 0, "SELECT 'ä'\r\nGO"},
		{"utf8 bom", []byte("\xEF\xBB\xBFSELECT 1"), 0, "SELECT 1"},
		{"utf16le", []byte("\xFF\xFES\x00'\x00\xE4\x00'\x00\r\x00\n\x00"), 0, "S'ä'\r\n"},
		{"utf16be", []byte("\xFE\xFF\x00S\x00\n"), 0, "S\n"},
		{"1252", []byte("'\xE4\x80'"), 1252, "'ä€'"},
		// the other single-byte ANSI code pages of Windows (sqlcmd reads a
		// file in the system's one) and the OEM pages -f may name
		{"874 Thai", []byte("'\xA1\x80'"), 874, "'ก€'"},
		{"1255 Hebrew", []byte("'\xE0\xA4'"), 1255, "'א₪'"},
		{"1256 Arabic", []byte("'\xC7\x81'"), 1256, "'اپ'"},
		{"1258 Vietnamese", []byte("'\xD0\xFE'"), 1258, "'Đ₫'"},
		{"852", []byte("'\x85'"), 852, "'ů'"},
		{"866", []byte("'\x80\xFC'"), 866, "'А№'"},
		// the double-byte ANSI pages; trail byte 0x5C is no backslash
		{"932", []byte("'\x95\x5C\xB1'"), 932, "'表ｱ'"},
		{"936", []byte("'\xCA\xFD\x80'"), 936, "'数€'"},
		{"949", []byte("'\xB5\xA5\x8C\x63'"), 949, "'데똠'"},
		{"950", []byte("'\xB3\x5C'"), 950, "'許'"},
	}
	for _, c := range cases {
		r, enc, err := Decode(bytes.NewReader(c.in), c.cp)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, _ := io.ReadAll(r)
		if string(got) != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		var back bytes.Buffer
		w := enc.NewWriter(&back)
		w.Write(got)
		w.Close()
		if !bytes.Equal(back.Bytes(), c.in) {
			t.Errorf("%s: re-encoded %q, want the input %q", c.name, back.Bytes(), c.in)
		}
	}
	if _, _, err := Decode(strings.NewReader("x"), 4711); err == nil {
		t.Error("unknown code page accepted")
	}
}

// BenchmarkReader splits a generated INSERT script in memory; compare the
// MB/s with bench/sqlrun.sh, which times the same code on a file next to awk.
func BenchmarkReader(b *testing.B) {
	var script bytes.Buffer
	sqlinserts.Write(&script, 16<<20, sqlinserts.Options{Seed: 1})
	data := script.Bytes()
	for _, raw := range []bool{false, true} {
		name := "normal"
		if raw {
			name = "raw"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				r := NewReader(bytes.NewReader(data), Options{Raw: raw})
				for {
					if _, err := r.Read(); err != nil {
						break
					}
				}
			}
		})
	}
}

func TestIncludeCycleThroughCustomOpen(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.sql")
	os.WriteFile(a, []byte("SELECT 'a'\n:r "+filepath.Join(dir, ".", "b.sql")+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.sql"), []byte("SELECT 'b'\n:r "+filepath.Join(dir, "x", "..", "a.sql")+"\nGO\n"), 0o644)
	f, _ := os.Open(a)
	defer f.Close()
	got := readAll(t, f, Options{Name: a, Open: func(name string) (io.ReadCloser, error) { return os.Open(name) }})
	if len(got) != 2 || !strings.Contains(got[0].Error, "include cycle") || got[1].SQL != "SELECT 'a'\nSELECT 'b'\n" {
		t.Fatalf("got %+v", got)
	}
}

func TestReadErrorIsFinalAndNamed(t *testing.T) {
	boom := errors.New("disk on fire")
	r := NewReader(io.MultiReader(strings.NewReader("SELECT 1\nGO\nSELECT 2\n"), iotest.ErrReader(boom)), Options{Name: "x.sql"})
	it, err := r.Read()
	if err != nil || string(it.SQL) != "SELECT 1\n" {
		t.Fatalf("first batch: %q %v", it.SQL, err)
	}
	for i := 0; i < 2; i++ {
		if _, err := r.Read(); !errors.Is(err, boom) || !errors.Is(err, ErrRead) || !strings.Contains(err.Error(), "x.sql: reading line 4") {
			t.Fatalf("read %d: error %v", i, err)
		}
	}
}

// TestUnclosedNamesColumn: a string, identifier or comment left open at the
// end of the script is reported at the line and column where it opens (the
// N of N'...'), as xdm sql check and downgrade report it, so that xdm sql
// run's message points at the same place.
func TestUnclosedNamesColumn(t *testing.T) {
	cases := map[string]string{
		"SELECT 'abc\nGO\n":                        "f.sql:1:8: the script ends inside a '...' string",
		"SELECT 1 /* open\nGO\nSELECT 2\n":         "f.sql:1:10: the script ends inside a /* */ comment",
		"SELECT 1\nGO\nSELECT 2,\n  N'it''s\nGO\n": "f.sql:4:3: the script ends inside a '...' string",
		"SELECT 1\nGO\nSELECT [a\n\nb\n":           "f.sql:3:8: the script ends inside a [...] identifier",
		"SELECT 1 /* a /* b */\n\nGO\nSELECT 2\n":  "f.sql:1:10: the script ends inside a /* */ comment",
		"SELECT 'a' + 'b', \"c\" AS x, 'd":         "f.sql:1:29: the script ends inside a '...' string",
		"SELECT 'x\n' + 'y', 'Grüße' + n'z":        "f.sql:2:22: the script ends inside a '...' string",
		"SELECT 1 AS \"q\n":                        "f.sql:1:13: the script ends inside a \"...\" identifier",
	}
	for script, want := range cases {
		for _, raw := range []bool{false, true} {
			var got []string
			for _, it := range readAll(t, strings.NewReader(script), Options{Name: "f.sql", Raw: raw}) {
				if it.Error != "" {
					got = append(got, it.Error)
				}
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("raw=%v %q: errors %q, want one starting %q", raw, script, got, want)
			}
		}
	}
}
