package registry

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// Data is a value's data decoded for people: text for strings, a list for
// multi-strings, a number for DWORD and QWORD, hex for anything else.
// Exactly one of Text, Strings, Number and Hex is set, or Deleted.
type Data struct {
	// Type is the registry type: REG_SZ, REG_MULTI_SZ, hex(100), ...
	Type string `json:"type"`
	// Form is how the file writes the data: string, dword or hex.
	Form    string   `json:"form,omitempty"`
	Text    *string  `json:"text,omitempty"`
	Strings []string `json:"strings,omitzero"` // [] for an empty list
	Number  *uint64  `json:"number,omitempty"`
	Hex     *string  `json:"hex,omitempty"`
	Deleted bool     `json:"deleted,omitempty"`
}

// hexData returns the data of v as hex bytes, as regedit would store them.
func hexData(v *reg.Value) Data {
	h := hex.EncodeToString(v.RegistryData())
	return Data{Type: v.Type.String(), Form: formNames[v.Form], Hex: &h}
}

var formNames = map[reg.Form]string{reg.FormString: "string", reg.FormDword: "dword", reg.FormHex: "hex"}

// Decode returns the data of v for people, as regedit would store it.
func Decode(v *reg.Value) Data {
	if v.Form == reg.FormDelete {
		return Data{Deleted: true}
	}
	d := Data{Type: v.Type.String(), Form: formNames[v.Form]}
	switch v.Type {
	case reg.RegSZ, reg.RegExpandSZ:
		if s, err := v.AsString(); err == nil {
			d.Text = &s
			return d
		}
	case reg.RegMultiSZ:
		if l, err := v.AsStrings(); err == nil {
			d.Strings = l
			if d.Strings == nil {
				d.Strings = []string{}
			}
			return d
		}
	case reg.RegDword, reg.RegDwordBigEndian, reg.RegQword:
		if n, err := v.AsUint(); err == nil {
			d.Number = &n
			return d
		}
	}
	h := hex.EncodeToString(v.RegistryData())
	d.Hex = &h
	return d
}

// String shows the data on one line: "text", ["a", "b"], 0x000000c8 (200),
// or hex bytes, long hex shortened to its first 64 bytes. Text is shown as
// regedit shows it, backslashes single; only quotes and control characters
// are escaped.
func (d Data) String() string {
	switch {
	case d.Deleted:
		return "(deleted)"
	case d.Text != nil:
		return Quote(*d.Text)
	case d.Strings != nil:
		q := make([]string, len(d.Strings))
		for i, s := range d.Strings {
			q[i] = Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case d.Number != nil:
		digits := 8
		if d.Type == reg.RegQword.String() {
			digits = 16
		}
		return fmt.Sprintf("0x%0*x (%d)", digits, *d.Number, *d.Number)
	case d.Hex != nil:
		h := *d.Hex
		if len(h) > 128 {
			return fmt.Sprintf("%s... (%d bytes)", spaced(h[:128]), len(h)/2)
		}
		if h == "" {
			return "(empty)"
		}
		return spaced(h)
	}
	return ""
}

// Quote puts text in double quotes for people, as regedit shows it:
// backslashes as they are, quotes and control characters escaped as Go does.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case unicode.IsControl(c): // C0, DEL and C1 (cp1252's 81, 8D, 8F, 90, 9D)
			q := strconv.QuoteRune(c)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// spaced writes hex bytes with blanks between them.
func spaced(h string) string {
	var b strings.Builder
	for i := 0; i+1 < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// Equal reports whether two values are the same in the registry: the same
// type and data (whatever form and file version wrote them), or both
// deletions.
func Equal(a, b *reg.Value) bool {
	if (a.Form == reg.FormDelete) != (b.Form == reg.FormDelete) {
		return false
	}
	return a.Type == b.Type && string(a.RegistryData()) == string(b.RegistryData())
}
