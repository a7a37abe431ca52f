package registry

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// TestDecodeJSON: exactly one of text, strings, number and hex is in the
// JSON of every value, also when the data is empty.
func TestDecodeJSON(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{`"m"=hex(7):00,00`, `"strings":[]`},
		{`"m"=hex(7):`, `"strings":[]`},
		{`"m"=hex(7):61,00,00,00,00,00`, `"strings":["a"]`},
		{`"s"=""`, `"text":""`},
		{`"e"=hex(2):00,00`, `"text":""`},
		{`"d"=dword:00000000`, `"number":0`},
		{`"b"=hex:`, `"hex":""`},
	} {
		in := "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n" + c.line + "\n"
		r := reg.NewReader(strings.NewReader(in), "t.reg")
		var v *reg.Value
		for v == nil {
			rec, err := r.Read()
			if err != nil {
				t.Fatalf("%s: %v", c.line, err)
			}
			v = rec.Value
		}
		b, err := json.Marshal(Decode(v))
		if err != nil || !strings.Contains(string(b), c.want) {
			t.Errorf("%s: %s, want %s (%v)", c.line, b, c.want, err)
		}
	}
}

// TestQuote: control characters are escaped, C1 ones too (a cp1252 file's
// bytes 81, 8D, 8F, 90 and 9D decode to them), so that a terminal shows
// them instead of acting on them.
func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"a\"b":           `"a\"b"`,
		"tab\there":      `"tab\there"`,
		"del\x7f":        `"del\x7f"`,
		"c1\u0081\u009b": `"c1\u0081\u009b"`,
		"Jürgen €":       `"Jürgen €"`,
		`C:\Temp`:        `"C:\Temp"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}
