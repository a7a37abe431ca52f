package mask

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
)

func parseFile(t *testing.T, path string) *File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mf, err := Parse(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return mf
}

func TestParseSample(t *testing.T) {
	f := parseFile(t, "../../testdata/infotool/maskexport-v5.mdl")
	if len(f.Masks) != 3 || f.Encoding != infotool.CP1252 {
		t.Fatalf("%d masks, encoding %v", len(f.Masks), f.Encoding)
	}
	j := f.Mask("journal")
	if j == nil || j.Version != 5 || len(j.Fields) != 9 || j.Line != 3 {
		t.Fatalf("JOURNAL: %+v", j)
	}
	msgid := j.Field("msgid")
	if msgid.Type != String || msgid.Length != 32 || msgid.Flags != Key || msgid.Line != 5 || msgid.Column != 5 {
		t.Errorf("MSGID: %+v", msgid)
	}
	ct := j.Field("CONTENTTYPE")
	if ct.Type != Int || !ct.HasDefault || ct.Default != "0" {
		t.Errorf("CONTENTTYPE: %+v", ct)
	}
	p := j.Field("X_PROJECT")
	if !p.Custom() || p.Flags != Custom|Optional || p.Default != `"none; open"` {
		t.Errorf("X_PROJECT: %+v", p)
	}
	if pin := f.Mask("USER").Field("PIN"); pin.Type != Binary || pin.Length != 8 {
		t.Errorf("PIN: %+v", pin)
	}
	if fax := f.Mask("FAX"); fax == nil || fax.Name != "Fax" || fax.Fields[0].TypeString() != "STRING(20)" {
		t.Errorf("lower-case mask: %+v", fax)
	}
}

// TestParseEOFMarker: a DOS end-of-file byte ends a mask export as it ends
// the data exports (docs/infotool.md, "Bytes and lines (all three files)");
// anywhere else it is an error.
func TestParseEOFMarker(t *testing.T) {
	const text = "MASK J VERSION 1\r\n{\r\n FIELD A INT\r\n}\r\n"
	utf16 := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, c := range s {
			b = append(b, byte(c), 0)
		}
		return b
	}
	for name, in := range map[string][]byte{
		"cp1252":               []byte(text + "\x1a"),
		"cp1252-no-final-line": []byte(strings.TrimSuffix(text, "\r\n") + "\x1a"),
		"utf-8":                []byte("\xef\xbb\xbf" + text + "\x1a"),
		"utf-16le-unit":        utf16(text + "\x1a"),
		"utf-16le-byte":        append(utf16(text), 0x1A),
	} {
		f, err := Parse(strings.NewReader(string(in)), "m")
		if err != nil || len(f.Masks) != 1 || len(f.Masks[0].Fields) != 1 {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, in := range []string{text + "\x1a\x1a", "MASK J\x1a VERSION 1 { }"} {
		if _, err := Parse(strings.NewReader(in), "m"); !errors.Is(err, infotool.ErrSyntax) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"MASK J VERSION 1\n{\n  FIELD A STRING KEY\n}\n", "m:3:18: unexpected \"KEY\", expected '('"},
		{"MASK J VERSION 1 { FIELD A INTEGER }", "m:1:28: unexpected \"INTEGER\", expected a type"},
		{"MASK 1J VERSION 1 { }", "m:1:6: unexpected \"1\", expected a name (a letter, then letters, digits and _)"},
		{"MASK J VERSION 1 { FIELD _A INT }", "m:1:26: unexpected \"_\", expected a name (a letter, then letters, digits and _)"},
		{"MASK J VERSION 1 { FIELD A INT }\nMASK j VERSION 2 { }", "m:2:6: mask j is defined again (first at line 1)"},
		{"MASK J VERSION 1 { FIELD A INT\nFIELD a BOOL }", "m:2:7: field a is defined again in mask J"},
		{"MASK J VERSION 1 { FIELD A STRING(0) }", "m:1:35: invalid STRING length 0, expected a number >= 1"},
		{"MASK J VERSION 1 { FIELD A INT KEY KEY }", "m:1:36: flag KEY given twice"},
		{"MASK J VERSION 1 { FIELD A INT DEFAULT \"x }", "m:1:40: unexpected \"\\\"\""},
		{"MASK J VERSION 1 {", "m:1:19: unexpected end of the file, expected FIELD or '}'"},
		{"FIELD A INT", "m:1:1: unexpected \"FIELD\", expected MASK or the end of the file"},
	} {
		_, err := Parse(strings.NewReader(tc.in), "m")
		var pe *position.Error
		if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, infotool.ErrSyntax) {
			t.Errorf("%q:\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

func TestParseEncodings(t *testing.T) {
	src := "; Grüße\r\nmask J version 1 { field GROESSE string(4) custom default \"ä\" }\r\n"
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range src {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for _, in := range [][]byte{append([]byte{0xEF, 0xBB, 0xBF}, src...), utf16} {
		f, err := Parse(strings.NewReader(string(in)), "m")
		if err != nil {
			t.Fatalf("%v", err)
		}
		fld := f.Masks[0].Fields[0]
		if fld.Name != "GROESSE" || fld.Default != `"ä"` {
			t.Errorf("%+v", fld)
		}
	}
}

func TestDiffSamples(t *testing.T) {
	old := parseFile(t, "../../testdata/infotool/maskexport-v5.mdl")
	new := parseFile(t, "../../testdata/infotool/maskexport-v7.mdl")
	d := Diff(old, new)
	if d.Equal() {
		t.Fatal("samples compare equal")
	}
	var got []string
	for _, f := range d.Fields {
		got = append(got, string(f.Change)+" "+f.Mask+"."+f.Field+" "+strings.Join(f.What, ","))
	}
	want := []string{
		"removed JOURNAL.X_COSTCENTER ",
		"removed JOURNAL.X_PROJECT ",
		"changed USER.X_DEPARTMENT length",
		"changed JOURNAL.SENDER length",
		"changed JOURNAL.SUBJECT length",
		"changed JOURNAL.CREATED flags",
		"added JOURNAL.FOLDER ",
		"changed USER.PIN length",
		"added USER.MOBILE ",
		"removed Fax.STATION ",
		"added PROFILE.NAME ",
		"added PROFILE.GREETING ",
		"added PROFILE.ACTIVE ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("fields:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Custom()) != 3 {
		t.Errorf("custom: %+v", d.Custom())
	}
	var masks []string
	for _, m := range d.Masks {
		masks = append(masks, string(m.Change)+" "+m.Mask)
	}
	if strings.Join(masks, ",") != "changed JOURNAL,changed USER,removed Fax,added PROFILE" {
		t.Errorf("masks: %v", masks)
	}
	if !Diff(old, old).Equal() {
		t.Error("a file differs from itself")
	}
}
