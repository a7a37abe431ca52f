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
