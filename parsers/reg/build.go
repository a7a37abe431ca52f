package reg

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/internal/syntax"
	"github.com/xdm-migrate/xdm/position"
)

// rootKeys are the root keys regedit imports into, in full: Microsoft's
// registry hives. regedit matches them without regard to case and refuses
// abbreviations (HKLM).
var rootKeys = []string{"HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT", "HKEY_USERS", "HKEY_CURRENT_CONFIG"}

// RootKey returns the root key a key path starts with, as Microsoft spells
// it, and whether it is one regedit knows.
func RootKey(path string) (string, bool) {
	root, _, _ := strings.Cut(path, `\`)
	for _, k := range rootKeys {
		if strings.EqualFold(root, k) {
			return k, true
		}
	}
	return root, false
}

// parsed is an entry to turn into a Record: its bytes and place.
type parsed struct {
	raw    []byte
	enc    Encoding
	name   string
	line   int64
	offset int64
	noData bool
}

// build decodes an entry into a Record and makes the checks the grammar
// cannot: the root key and the range of hex(N).
func (p *parsed) build(e entry) (*Record, *position.Error) {
	w := p.enc.width()
	rec := &Record{Kind: e.kind, Raw: p.raw, Line: p.line, Offset: p.offset, Version: e.version, enc: p.enc}
	switch e.kind {
	case KindKey:
		rec.Delete = e.del
		rec.keyFrom, rec.keyTo = e.key.from*w, e.key.to*w
		rec.Key = p.enc.Decode(p.raw[rec.keyFrom:rec.keyTo])
		root, ok := RootKey(rec.Key)
		switch {
		case !ok:
			return nil, p.errorAt(e.key.from, ErrRootKey, "the key path starts with "+syntax.Quote(root)+
				", expected HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS or HKEY_CURRENT_CONFIG in full (regedit refuses abbreviations such as HKLM and skips the key and its values)")
		case e.del && strings.Trim(rec.Key[len(root):], `\`) == "":
			return nil, p.errorAt(e.key.from, ErrRootKey, "a root key cannot be deleted, expected a key below "+root)
		}
	case KindValue:
		v := &Value{Form: e.form, Encoding: p.enc}
		rec.Value = v
		if !e.nameAt {
			v.Name = p.unescape(e.name)
		}
		if err := p.data(v, e); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// data decodes the data of a value.
func (p *parsed) data(v *Value, e entry) *position.Error {
	u := newUnits(p.raw, p.enc.width())
	switch e.form {
	case FormString:
		v.Type = RegSZ
		if !p.noData {
			v.Text = p.unescape(e.str)
		}
	case FormDword:
		v.Type = RegDword
		var n uint32
		for i := e.dword.from; i < e.dword.to; i++ {
			n = n<<4 | uint32(hexNibble(u.at(i)))
		}
		v.Bytes = binary.LittleEndian.AppendUint32(nil, n)
	case FormHex:
		v.Type = RegBinary
		if e.hexType {
			var n uint64
			for i := e.typ.from; i < e.typ.to; i++ {
				if n = n<<4 | uint64(hexNibble(u.at(i))); n > 0xFFFFFFFF {
					return p.errorAt(e.typ.from, ErrTypeNumber, "the type number of hex(N) exceeds ffffffff")
				}
			}
			v.Type = Type(n)
		}
		if !p.noData {
			v.Bytes = hexBytes(u, e.hex)
		}
	}
	return nil
}

// hexBytes decodes runs of hex bytes ("4c,00, 6e").
func hexBytes(u units, runs []span) []byte {
	n := 0
	for _, r := range runs {
		n += (r.to - r.from + 2) / 3
	}
	out := make([]byte, 0, n)
	for _, r := range runs {
		for i := r.from; i < r.to; {
			c := u.at(i)
			if !isHexDigit(c) {
				i++
				continue
			}
			b := hexNibble(c)
			if i+1 < r.to && isHexDigit(u.at(i+1)) {
				b = b<<4 | hexNibble(u.at(i+1))
				i++
			}
			out = append(out, b)
			i++
		}
	}
	return out
}

func hexNibble(c rune) byte {
	switch {
	case c >= '0' && c <= '9':
		return byte(c - '0')
	case c >= 'a' && c <= 'f':
		return byte(c - 'a' + 10)
	}
	return byte(c - 'A' + 10)
}

// unescape decodes a quoted string's units (escapes \\ \" \n \r, checked by
// the parser) into text.
func (p *parsed) unescape(s span) string {
	w := p.enc.width()
	b := p.raw[s.from*w : s.to*w]
	if !containsUnit(b, '\\', w) {
		return p.enc.Decode(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i += w {
		if unit(b, i, w) == '\\' {
			i += w
			var c byte
			switch unit(b, i, w) {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			default:
				c = b[i]
			}
			out = append(out, c)
			if w == 2 {
				out = append(out, 0)
			}
			continue
		}
		out = append(out, b[i:i+w]...)
	}
	return p.enc.Decode(out)
}

// containsUnit reports whether the ASCII unit c is in b.
func containsUnit(b []byte, c byte, w int) bool {
	for i := 0; i+w <= len(b); i += w {
		if b[i] == c && (w == 1 || b[i+1] == 0) {
			return true
		}
	}
	return false
}

// errorAt returns an error at unit index at of the entry.
func (p *parsed) errorAt(at int, sentinel error, msg string) *position.Error {
	pe := placeError(p.raw, p.enc.width(), at, p.name, p.line, p.offset)
	pe.Err = syntax.Wrap(sentinel, msg)
	return pe
}

// String describes a record for tests and debugging.
func (r *Record) String() string {
	switch r.Kind {
	case KindKey:
		if r.Delete {
			return fmt.Sprintf("line %d: delete key [%s]", r.Line, r.Key)
		}
		return fmt.Sprintf("line %d: key [%s]", r.Line, r.Key)
	case KindValue:
		return fmt.Sprintf("line %d: value %q in [%s]", r.Line, r.Value.Name, r.Key)
	case KindHeader:
		return fmt.Sprintf("line %d: header %q", r.Line, r.Version.Header())
	}
	return fmt.Sprintf("line %d: %s", r.Line, r.Kind)
}
