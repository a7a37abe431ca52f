package xphone

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/xdm-migrate/xdm/position"
)

func convertString(t *testing.T, in []byte, m Mapping, opts UsersOptions) (string, UsersReport) {
	t.Helper()
	var out bytes.Buffer
	rep, err := ConvertUsers(context.Background(), bytes.NewReader(in), &out, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), rep
}

const minimalHeader = "UserKey;Login;FirstName;LastName\r\n"

// Umlauts and ß survive whatever the input encoding.
func TestUsersInputEncodings(t *testing.T) {
	text := minimalHeader + "1;D\\mueller;Jürgen;Müller-Weiß\r\n"
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	cp, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	for _, c := range []struct {
		name, enc string
		in        []byte
	}{
		{"utf-8 BOM", "utf-8", append([]byte("\xEF\xBB\xBF"), text...)},
		{"utf-16le BOM", "utf-16le", utf16},
		{"windows-1252", "windows-1252", cp},
		{"utf-8 without BOM", "utf-8 (no BOM)", []byte(text)},
	} {
		out, rep := convertString(t, c.in, DefaultMapping(), UsersOptions{})
		want := "\uFEFFID\tfirstname\tname\taccount\r\n1\tJürgen\tMüller-Weiß\tD\\mueller\r\n"
		if out != want || rep.Encoding != c.enc {
			t.Errorf("%s: got %q (%s), want %q (%s)", c.name, out, rep.Encoding, want, c.enc)
		}
	}
}

func TestUsersSeparatorDetection(t *testing.T) {
	for _, c := range []struct{ in, sep string }{
		{"UserKey,Login,FirstName,LastName\n1,D\\a,\"A;1\",B\n", ","},
		{"UserKey\tLogin\tFirstName\tLastName\n1\tD\\a\t\"A;1\"\tB\n", "\t"},
		{"UserKey;Login;FirstName;\"Last,Name\"\n1;D\\a;\"A,1\";B\n", ";"},
	} {
		m := DefaultMapping()
		m.Columns[2].Source = strings.Split(strings.SplitN(c.in, "\n", 2)[0], c.sep)[3]
		m.Columns[2].Source = strings.Trim(m.Columns[2].Source, `"`)
		_, rep := convertString(t, []byte(c.in), m, UsersOptions{})
		if rep.Separator != c.sep || len(rep.Users) != 1 {
			t.Errorf("%q: separator %q, %d users, skipped %v", c.in, rep.Separator, len(rep.Users), rep.Skipped)
		}
	}
}

// Line numbers are physical lines where the record starts, counting the
// lines inside quoted values and empty lines.
func TestUsersLineNumbers(t *testing.T) {
	in := minimalHeader +
		"1;D\\a;\"multi\r\nline\r\nname\";X\r\n" + // line 2-4: written? no: line break
		"\r\n" + // line 5: empty, skipped by CSV rules
		"2;D\\b;;Y\r\n" + // line 6: no first name
		"3;D\\c;\"bad\"quote;Z\r\n" + // line 7: CSV error
		"4;D\\d;Ann;Able" // line 8, no final newline
	out, rep := convertString(t, []byte(in), DefaultMapping(), UsersOptions{})
	var lines []int
	for _, p := range rep.Skipped {
		lines = append(lines, p.Line)
	}
	if len(lines) != 3 || lines[0] != 2 || lines[1] != 6 || lines[2] != 7 {
		t.Errorf("skipped lines %v, want [2 6 7]: %v", lines, rep.Skipped)
	}
	if len(rep.Users) != 1 || rep.Users[0].Line != 8 || !strings.HasSuffix(out, "4\tAnn\tAble\tD\\d\r\n") {
		t.Errorf("users %+v, output %q", rep.Users, out)
	}
}

func TestUsersOutputOptions(t *testing.T) {
	in := []byte("\xEF\xBB\xBF" + minimalHeader + "1;D\\a;Zoë;Weiß\r\n2;D\\b;Łukasz;Nowak\r\n3;D\\c;Ann;Smith, Jr.\r\n")
	out, rep := convertString(t, in, DefaultMapping(), UsersOptions{Encoding: EncodingWindows1252, Separator: ','})
	want := "ID,firstname,name,account\r\n1,Zo\xebWei\xdf,D\\a\r\n"
	want = "ID,firstname,name,account\r\n1,Zo\xeb,Wei\xdf,D\\a\r\n"
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if len(rep.Skipped) != 2 || rep.Skipped[0].Line != 3 || !strings.Contains(rep.Skipped[0].String(), "Windows-1252") ||
		!strings.Contains(rep.Skipped[1].String(), `separator ","`) {
		t.Errorf("skipped: %v", rep.Skipped)
	}
	// The output reads back with encoding/csv as the V9 connector reads it.
	r := csv.NewReader(strings.NewReader(out))
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 2 || recs[1][2] != "Wei\xdf" {
		t.Errorf("reading back: %v %q", err, recs)
	}
}

func TestUsersCommentAndDuplicates(t *testing.T) {
	in := []byte(minimalHeader + "#1;D\\a;A;B\r\n2;D\\b;C;D\r\n 2 ;D\\c;E;F\r\n3;d\\B;G;H\r\n")
	_, rep := convertString(t, in, DefaultMapping(), UsersOptions{})
	msgs := []string{"comment", `duplicate ID " 2 ", first on line 3`, `duplicate account "d\B", first on line 3`}
	if len(rep.Skipped) != len(msgs) || len(rep.Users) != 1 {
		t.Fatalf("skipped %v, users %v", rep.Skipped, rep.Users)
	}
	for i, m := range msgs {
		if !strings.Contains(rep.Skipped[i].String(), m) {
			t.Errorf("%q does not mention %q", rep.Skipped[i], m)
		}
	}
}

func TestUsersFieldCount(t *testing.T) {
	in := []byte(minimalHeader + "1;D\\a;A\r\n2;D\\b;C;D;E\r\n")
	_, rep := convertString(t, in, DefaultMapping(), UsersOptions{})
	if len(rep.Skipped) != 2 || !strings.Contains(rep.Skipped[0].Message, "3 fields, the header has 4") {
		t.Errorf("skipped %v", rep.Skipped)
	}
}

func TestUsersFatalErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{"", "empty file"},
		{"UserKey;Login;FirstName\r\n", "no column LastName"},
		{"UserKey;Login;FirstName;LastName;Login\r\n", "appears twice"},
	} {
		_, err := ConvertUsers(context.Background(), strings.NewReader(c.in), &bytes.Buffer{}, DefaultMapping(), UsersOptions{})
		var le *position.Error
		if !errors.As(err, &le) || le.Line != 1 || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: err = %v, want line 1 mentioning %q", c.in, err, c.msg)
		}
	}
}

func TestMappingFile(t *testing.T) {
	y := `
columns:
  - source: Department
    target: company
  - source: Fax
    target: ""
  - source: Language
    target: language
constants:
  - target: location
    value: München
unmapped: keep
`
	m, err := LoadMapping(strings.NewReader(y))
	if err != nil {
		t.Fatal(err)
	}
	in := []byte("UserKey;Login;FirstName;LastName;Fax;Department;Language;Room\r\n1;D\\a;A;B;123;Sales;de;R1\r\n")
	out, _ := convertString(t, in, m, UsersOptions{})
	want := "\uFEFFID\tfirstname\tname\taccount\tcompany\tlanguage\tFax\tRoom\tlocation\r\n1\tA\tB\tD\\a\tSales\tde\t123\tR1\tMünchen\r\n"
	if out != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
	// The map form.
	m2, err := LoadMapping(strings.NewReader("columns:\n  Department: company\n  Fax: \"\"\nconstants:\n  location: München\n"))
	if err != nil {
		t.Fatal(err)
	}
	out2, _ := convertString(t, in, m2, UsersOptions{})
	if want := "\uFEFFID\tfirstname\tname\taccount\tcompany\tlocation\r\n1\tA\tB\tD\\a\tSales\tMünchen\r\n"; out2 != want {
		t.Errorf("map form: got %q\nwant %q", out2, want)
	}
	// Values as written, keys strict, errors placed in the file.
	m3, err := LoadMapping(strings.NewReader("constants:\n  - target: area\n    value: 089\n"))
	if err != nil || m3.Constants[0].Value != "089" {
		t.Errorf("constant 089: %+v, %v", m3.Constants, err)
	}
	_, err = LoadMapping(strings.NewReader("columns:\n  - source: A\n    target: b\n    extra: c\n"))
	var pe *position.Error
	if !errors.As(err, &pe) || pe.Line != 4 || pe.Column != 5 || !errors.Is(err, ErrMapping) || !strings.Contains(err.Error(), `unknown key "extra"`) {
		t.Errorf("unknown entry key: %v", err)
	}
	for _, bad := range []string{"colums: []", "- a\n- b", "replace_defaults: maybe", "key_column: [a]", "columns: 3", "columns:\n  - src: A\n    target: b", "unmapped: maybe", "columns:\n  - source: UserKey\n    target: \"\"", "constants:\n  - target: name\n    value: x"} {
		if _, err := LoadMapping(strings.NewReader(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPhoneNormalize(t *testing.T) {
	p, err := NewPhoneFormat("+49", "089")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"0049 89 123456":       "+4989123456",
		"+49 (89) 123-456":     "+4989123456",
		"089/123456":           "+4989123456",
		"123456":               "+4989123456",
		"(089) 12 34 56":       "+4989123456",
		"+49 (0)89 123456":     "+4989123456",
		"+49 089 123456":       "+4989123456",
		"089 123456-78":        "+498912345678",
		"+49 89 123456 ext. 7": "+49891234567",
		"089 123456 x12":       "+498912345612",
		"+1 (212) 555-0100":    "+12125550100",
		"0043 1 234567":        "+431234567",
		"0171 2345678":         "+491712345678",
		"":                     "",
	} {
		got, err := p.Normalize(in)
		if err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"Zentrale", "089 12 (34", "+49+89", "12", "0049 89 1234567890123", "089 123 ext"} {
		if got, err := p.Normalize(in); err == nil || got != in {
			t.Errorf("Normalize(%q) = %q, %v; want the input and an error", in, got, err)
		}
	}
	noArea, _ := NewPhoneFormat("49", "")
	if _, err := noArea.Normalize("123456"); err == nil {
		t.Error("local number without area code normalised")
	}
	var none PhoneFormat
	if got, _ := none.Normalize(" 089 / 1 "); got != " 089 / 1 " {
		t.Errorf("without a country the number changed: %q", got)
	}
	for _, bad := range [][2]string{{"", "89"}, {"4x", ""}, {"0", ""}, {"49", "8a"}} {
		if _, err := NewPhoneFormat(bad[0], bad[1]); err == nil {
			t.Errorf("NewPhoneFormat(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"Hauptmenü":              "Hauptmenue",
		"Begrüßung Nacht":        "Begruessung_Nacht",
		"Café  Olé!":             "Cafe_Ole",
		"../../etc/passwd":       "etc_passwd",
		"CON":                    "_CON",
		"nul.txt":                "_nul.txt",
		"日本":                     "_",
		"a/b\\c:d*e?f":           "a_b_c_d_e_f",
		" Menu 1 ":               "Menu_1",
		"Ärger-Öl_Übung.v2":      "Aerger-Oel_Uebung.v2",
		strings.Repeat("x", 100): strings.Repeat("x", 80),
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzConvertUsers(f *testing.F) {
	f.Add([]byte(sampleUsers))
	if b, err := os.ReadFile(filepath.Join(sampleExport, "users.csv")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("\xEF\xBB\xBF" + minimalHeader + "1;D\\a;\"x\"\"y\";B\r\n"))
	f.Add([]byte("\xFF\xFEU\x00;\x00"))
	f.Add([]byte("UserKey\tLogin\tFirstName\tLastName\n1\tD\\a\t\"A\n\tB\"\tC"))
	phone, _ := NewPhoneFormat("49", "89")
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		rep, err := ConvertUsers(context.Background(), bytes.NewReader(in), &out, DefaultMapping(), UsersOptions{Phone: phone})
		if err != nil {
			var le *position.Error
			if !errors.As(err, &le) || le.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		// Every written user is one output line with the header's field count.
		lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(out.String(), "\uFEFF"), "\r\n"), "\r\n")
		if len(lines) != len(rep.Users)+1 {
			t.Fatalf("%d output lines for %d users", len(lines), len(rep.Users))
		}
		for _, l := range lines {
			if n := strings.Count(l, "\t") + 1; n != len(rep.Header) {
				t.Fatalf("line %q has %d fields, header %d", l, n, len(rep.Header))
			}
		}
		if rep.Rows != len(rep.Users)+len(rep.Skipped) {
			t.Fatalf("%d rows, %d written, %d skipped", rep.Rows, len(rep.Users), len(rep.Skipped))
		}
		for _, p := range rep.Skipped {
			if p.Line < 2 {
				t.Fatalf("skipped row on line %d", p.Line)
			}
		}
	})
}

// TestMappingErrorsArePlaced: every mapping file error names the line and
// column it is at, a YAML syntax error its line: a target produced twice
// points at the entry that produces it again, a mandatory attribute left
// without a source at the entry that dropped it.
func TestMappingErrorsArePlaced(t *testing.T) {
	for y, want := range map[string]string{
		"columns:\n  - source: Phone\n    target: phone\n  - source: Mobile\n    target: phone\n": "4:5 invalid mapping: attribute \"phone\" is produced twice",
		"constants:\n  - target: name\n    value: x\n":                                            "2:5 invalid mapping: attribute \"name\" is produced twice",
		"columns:\n  Department: email\n":                                                         "2:3 invalid mapping: attribute \"email\" is produced twice",
		"columns:\n  - source: UserKey\n    target: \"\"\n":                                       "2:5 invalid mapping: no column for the mandatory attribute ID",
		"columns: [\n":                  "1:0 invalid mapping: did not find expected node content",
		"a: b\n\tc: d\n":                "2:0 invalid mapping: found a tab character that violates indentation",
		"constants:\n  - target: \"x\n": "2:0 invalid mapping: found unexpected end of stream",
	} {
		_, err := LoadMapping(strings.NewReader(y))
		var pe *position.Error
		got := fmt.Sprint(err)
		if errors.As(err, &pe) {
			got = fmt.Sprintf("%d:%d %v", pe.Line, pe.Column, pe.Err)
		}
		if got != want || !errors.Is(err, ErrMapping) {
			t.Errorf("%q: %s, want %s", y, got, want)
		}
	}
}

// TestUsersCP1252ProblemNamesColumnAndCharacter: a value Windows-1252 has
// no byte for is skipped with its line, its output column and the
// character as U+XXXX, so the user can find it in the export.
func TestUsersCP1252ProblemNamesColumnAndCharacter(t *testing.T) {
	in := []byte("\xEF\xBB\xBF" + minimalHeader + "1;D\\a;Zoë;Weiß\r\n2;D\\b;Łukasz;Nowak\r\n")
	_, rep := convertString(t, in, DefaultMapping(), UsersOptions{Encoding: EncodingWindows1252, Separator: ';'})
	if len(rep.Skipped) != 1 {
		t.Fatalf("skipped %v, want line 3", rep.Skipped)
	}
	p := rep.Skipped[0]
	s := p.String()
	if p.Line != 3 || p.Column != "firstname" || p.Value != "Łukasz" || !strings.Contains(s, "U+0141") || !strings.Contains(s, "Windows-1252") {
		t.Errorf("problem %+v (%s): want line 3, column firstname, value Łukasz, character U+0141", p, s)
	}
}
