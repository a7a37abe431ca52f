package batch

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/position"
)

// dbcsSample is text in a double-byte code page, as the bytes a Windows
// editor saves, and its UTF-8. The bytes are written out (not produced by
// the encoder under test) and checked against x/text's encoder below.
type dbcsSample struct {
	cp    int
	text  string
	bytes string
}

var dbcsSamples = []dbcsSample{
	{932, "テーブル", "\x83\x65\x81\x5B\x83\x75\x83\x8B"}, // 'ー' is 81 5B: trail byte '['
	{932, "表", "\x95\x5C"},                            // trail byte '\'
	{932, "ｱｲｳ", "\xB1\xB2\xB3"},                      // half-width katakana: single bytes
	{936, "数据库", "\xCA\xFD\xBE\xDD\xBF\xE2"},
	{936, "€", "\x80"}, // code page 936 puts the euro sign at 0x80
	{949, "데이터베이스", "\xB5\xA5\xC0\xCC\xC5\xCD\xBA\xA3\xC0\xCC\xBD\xBA"},
	{949, "똠", "\x8C\x63"}, // UHC extension (not in EUC-KR): trail byte 'c'
	{950, "資料庫", "\xB8\xEA\xAE\xC6\xAE\x77"},
	{950, "許", "\xB3\x5C"}, // trail byte '\'
}

// TestDBCSSamples: the sample bytes are what x/text writes for the text,
// so the scripts below hold real text of each page.
func TestDBCSSamples(t *testing.T) {
	for _, s := range dbcsSamples {
		got, err := codePageCodec(s.cp).NewEncoder().String(s.text)
		if err != nil || got != s.bytes {
			t.Errorf("%d %s: x/text writes % X, %v; sample has % X", s.cp, s.text, got, err, s.bytes)
		}
	}
}

// dbcsScript is a script in code page cp whose INSERT literal, comment and
// SELECT hold the page's samples, with GO lines, and its UTF-8.
func dbcsScript(cp int) (raw, text string) {
	var words, wordsUTF8 []string
	for _, s := range dbcsSamples {
		if s.cp == cp {
			words, wordsUTF8 = append(words, s.bytes), append(wordsUTF8, s.text)
		}
	}
	build := func(w []string) string {
		all := strings.Join(w, "")
		return "-- " + all + "\r\n" +
			"INSERT INTO t (name) VALUES (N'" + all + "')\r\n" +
			"GO\r\n" +
			"/* " + w[len(w)-1] + " */ SELECT N'" + w[len(w)-1] + "'\r\n" +
			w[len(w)-1] + "\r\n" + // a line ending in a trail byte, before GO
			"GO\r\n" +
			"SELECT 2 -- " + w[0]
	}
	return build(words), build(wordsUTF8)
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// withBufSize runs f with the script reader reading n bytes at a time.
func withBufSize(t *testing.T, n int, f func()) {
	t.Helper()
	old := scriptBufSize
	scriptBufSize = n
	defer func() { scriptBufSize = old }()
	f()
}

// TestOpenScriptDBCS: a script in each double-byte page reads as its text
// and splits at its GO lines into the batches a user wrote, whatever the
// read size (a character split across reads), with and without Guess.
func TestOpenScriptDBCS(t *testing.T) {
	for _, cp := range []int{932, 936, 949, 950} {
		raw, text := dbcsScript(cp)
		path := writeTemp(t, "s.sql", raw)
		for _, size := range []int{1, 2, 3, 7, 64 << 10} {
			for _, guess := range []bool{false, true} {
				withBufSize(t, size, func() {
					var chosen []Reading
					opt := ScriptOptions{CodePage: cp, Guess: guess, Chosen: func(r Reading) { chosen = append(chosen, r) }}
					rc, err := OpenScript(path, opt)
					if err != nil {
						t.Fatal(err)
					}
					got, err := io.ReadAll(rc)
					rc.Close()
					if err != nil || string(got) != text {
						t.Fatalf("cp %d, read size %d, guess %v: %q, %v; want %q", cp, size, guess, got, err, text)
					}
					for _, r := range chosen {
						if r.Encoding.Name != "code page "+strconv.Itoa(cp) {
							t.Errorf("cp %d: read as %s (%s)", cp, r.Encoding.Name, r.Invalid)
						}
					}
				})
			}
		}
		rc, err := OpenScript(path, ScriptOptions{CodePage: cp})
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(rc, Options{Name: path})
		var batches []string
		for {
			it, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("cp %d: %v", cp, err)
			}
			batches = append(batches, string(it.SQL))
		}
		r.Close()
		rc.Close()
		parts := strings.Split(text, "GO\r\n")
		if len(batches) != 3 || len(parts) != 3 {
			t.Fatalf("cp %d: %d batches %q, want 3", cp, len(batches), batches)
		}
		for i, b := range batches {
			if strings.TrimRight(b, "\r\n") != strings.TrimRight(parts[i], "\r\n") {
				t.Errorf("cp %d batch %d: %q, want %q", cp, i+1, b, parts[i])
			}
		}
	}
}

// TestOpenScriptDBCSInvalid: a byte sequence a double-byte page does not
// define is an error at its file:line:col, at the start, in the middle and
// at the end of a file, whatever the read size; nothing becomes U+FFFD.
func TestOpenScriptDBCSInvalid(t *testing.T) {
	cases := []struct {
		cp        int
		in        string
		line, col int
		what      string
	}{
		{932, "\x81 SELECT 1", 1, 1, "lead byte 0x81 followed by 0x20"},
		{932, "SELECT 1\r\nSELECT N'\x83\x65\x95\r\n'", 2, 12, "lead byte 0x95 followed by 0x0D"},
		{932, "SELECT N'\x95\x5C'\r\nGO\r\n\x95", 3, 1, "ends after lead byte 0x95"},
		{932, "SELECT N'\x83\x65'\r\n-- \x85\x40", 2, 4, "lead byte 0x85 followed by 0x40"}, // an unassigned row
		{936, "\x81\x7F", 1, 1, "lead byte 0x81 followed by 0x7F"},
		{936, "SELECT N'\xCA\xFD'\n\nSELECT N'\xCA\xFD\xFF'", 3, 12, "byte 0xFF is not defined"},
		{936, "SELECT N'\xCA\xFD'\r\nGO\r\n\xCA", 3, 1, "ends after lead byte 0xCA"},
		{949, "\xB5\x20", 1, 1, "lead byte 0xB5 followed by 0x20"},
		{949, "SELECT N'\xB5\xA5'\r\n-- \xC9\x41", 2, 4, "lead byte 0xC9 followed by 0x41"},
		{949, "GO\r\nSELECT N'\xB5", 2, 10, "ends after lead byte 0xB5"},
		{950, "\xB3\x0A", 1, 1, "lead byte 0xB3 followed by 0x0A"},
		{950, "SELECT N'\xB3\x5C'\r\nSELECT N'\xB3\x5C\x80'", 2, 12, "byte 0x80 is not defined"},
		{950, "SELECT N'\xB8\xEA'\r\nGO\r\n-- \xAE", 3, 4, "ends after lead byte 0xAE"},
	}
	for _, c := range cases {
		path := writeTemp(t, "bad.sql", c.in)
		for _, size := range []int{1, 3, 64 << 10} {
			for _, guess := range []bool{false, true} {
				withBufSize(t, size, func() {
					rc, err := OpenScript(path, ScriptOptions{CodePage: c.cp, Guess: guess})
					if err != nil {
						t.Fatal(err)
					}
					got, err := io.ReadAll(rc)
					rc.Close()
					var pe *position.Error
					if !errors.As(err, &pe) || !errors.Is(err, ErrEncoding) {
						t.Fatalf("cp %d %q (read size %d, guess %v): %q, %v; want an encoding error", c.cp, c.in, size, guess, got, err)
					}
					if pe.File != path || pe.Line != int64(c.line) || pe.Column != c.col || !strings.Contains(err.Error(), c.what) {
						t.Errorf("cp %d %q: %v; want line %d col %d, %q", c.cp, c.in, err, c.line, c.col, c.what)
					}
					if bytes.ContainsRune(got, '\uFFFD') {
						t.Errorf("cp %d %q: U+FFFD returned: %q", c.cp, c.in, got)
					}
				})
			}
		}
	}
}

// TestGuessDBCS: without -f, a UTF-8 file that is not valid in the ANSI
// double-byte page is read as UTF-8, as sqlcmd does.
func TestGuessDBCS(t *testing.T) {
	cases := []struct{ in, want, invalid string }{
		// F0 is a lead byte of 932's user-defined area (F040-F9FC), which
		// x/text does not map: not valid in 932, valid UTF-8.
		{"SELECT N'😀'\r\n", "UTF-8", "byte 0xF0 at offset 9 is not defined in code page 932"},
		// "ä" is C3 A4 in UTF-8: two half-width katakana in 932, so the
		// file reads in 932, as sqlcmd reads it.
		{"SELECT N'Käse'\r\n", "code page 932", ""},
	}
	for _, c := range cases {
		path := writeTemp(t, "u.sql", c.in)
		var chosen Reading
		rc, err := OpenScript(path, ScriptOptions{CodePage: 932, Guess: true, Chosen: func(r Reading) { chosen = r }})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || chosen.Encoding.Name != c.want || chosen.Invalid != c.invalid {
			t.Errorf("%q: %q, %v, read as %q (%s); want %s (%s)", c.in, got, err, chosen.Encoding.Name, chosen.Invalid, c.want, c.invalid)
		}
		if c.want == "UTF-8" && string(got) != c.in {
			t.Errorf("%q read as %q", c.in, got)
		}
	}
}

// TestDBCSWriterRoundTrip: NewWriter writes a script back in its page byte
// for byte, and refuses text the page cannot hold instead of writing '?'.
func TestDBCSWriterRoundTrip(t *testing.T) {
	for _, cp := range []int{932, 936, 949, 950} {
		raw, text := dbcsScript(cp)
		var buf bytes.Buffer
		w := codePageEncoding(cp).NewWriter(&buf)
		if _, err := io.WriteString(w, text); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if buf.String() != raw {
			t.Errorf("cp %d: wrote % X, want % X", cp, buf.Bytes(), raw)
		}
		buf.Reset()
		w = codePageEncoding(cp).NewWriter(&buf)
		_, err := io.WriteString(w, "SELECT N'😀'")
		if err == nil {
			err = w.Close()
		}
		if err == nil || bytes.Contains(buf.Bytes(), []byte("?")) {
			t.Errorf("cp %d: an emoji written as % X, %v; want an error", cp, buf.Bytes(), err)
		}
	}
}

// TestGuessFirstByte: with Guess, a file whose very first byte is above
// 0x7F is decoded in the reading chosen (it was cut short as "the file
// ends inside a character").
func TestGuessFirstByte(t *testing.T) {
	for _, c := range []struct {
		cp       int
		in, want string
	}{{1252, "\xE4", "ä"}, {1252, "\xC4\r\nGO", "Ä\r\nGO"}, {932, "\x95\x5C", "表"}, {950, "\xB3\x5C", "許"}} {
		rc, err := OpenScript(writeTemp(t, "g.sql", c.in), ScriptOptions{CodePage: c.cp, Guess: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(got) != c.want {
			t.Errorf("cp %d % X: %q, %v; want %q", c.cp, c.in, got, err, c.want)
		}
	}
}

// readScriptBytes writes data to a file and reads it with OpenScript in
// code page cp, size bytes at a time.
func readScriptBytes(t *testing.T, path string, cp, size int) ([]byte, error) {
	var got []byte
	var err error
	withBufSize(t, size, func() {
		var rc io.ReadCloser
		if rc, err = OpenScript(path, ScriptOptions{CodePage: cp}); err != nil {
			t.Fatal(err)
		}
		got, err = io.ReadAll(rc)
		rc.Close()
	})
	return got, err
}

// FuzzOpenScriptDBCS: for any bytes in each double-byte page, the script
// reader agrees with x/text's decoder (the same text when that has no
// U+FFFD, an ErrEncoding error at a byte position when it has one), and
// the result does not depend on the read size.
func FuzzOpenScriptDBCS(f *testing.F) {
	for _, cp := range []int{932, 936, 949, 950} {
		raw, _ := dbcsScript(cp)
		f.Add([]byte(raw), uint8(cp%4))
	}
	f.Add([]byte("\x81 \x95"), uint8(0))
	f.Add([]byte("\x88\x62\xFF\x80"), uint8(2))
	pages := []int{932, 936, 949, 950}
	f.Fuzz(func(t *testing.T, data []byte, page uint8) {
		cp := pages[int(page)%len(pages)]
		path := filepath.Join(t.TempDir(), "f.sql")
		if len(data) >= 2 && (bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})) || bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
			return // a byte order mark decides: not this test's subject
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := codePageCodec(cp).NewDecoder().Bytes(data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readScriptBytes(t, path, cp, 64<<10)
		if bytes.ContainsRune(want, utf8RuneError) {
			var pe *position.Error
			if !errors.As(err, &pe) || !errors.Is(err, ErrEncoding) || pe.Offset < 0 || pe.Offset >= int64(len(data)) {
				t.Fatalf("cp %d % X: x/text reads %q; got %q, %v", cp, data, want, got, err)
			}
		} else if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("cp %d % X: got %q, %v; x/text reads %q", cp, data, got, err, want)
		}
		// Read a byte at a time, the text before an error's chunk comes
		// out before the error: the same error, after more of the text.
		got1, err1 := readScriptBytes(t, path, cp, 1)
		same := bytes.Equal(got1, got) && err1 == nil && err == nil ||
			err1 != nil && err != nil && err1.Error() == err.Error() && bytes.HasPrefix(got1, got) && bytes.HasPrefix(want, got1)
		if !same {
			t.Fatalf("cp %d % X: read size 1 %q, %v; whole %q, %v", cp, data, got1, err1, got, err)
		}
	})
}

const utf8RuneError = '\uFFFD'

// BenchmarkOpenScriptCodePage reads a 16 MiB script of INSERTs with
// Japanese literals in 932 next to the same script's Latin text in 1252
// (the single-byte table path): MB/s is of file bytes.
func BenchmarkOpenScriptCodePage(b *testing.B) {
	for _, c := range []struct {
		cp   int
		word string
	}{{932, "\x83\x65\x81\x5B\x83\x75\x83\x8B\x95\x5C"}, {1252, "Gr\xFC\xDFe \x80 K\xE4se"}} {
		line := "INSERT INTO t (id, name) VALUES (1, N'" + c.word + "')\r\n"
		data := bytes.Repeat([]byte(line+"GO\r\n"), (16<<20)/(len(line)+4))
		path := filepath.Join(b.TempDir(), "b.sql")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(strconv.Itoa(c.cp), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				rc, err := OpenScript(path, ScriptOptions{CodePage: c.cp})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
		})
	}
}
