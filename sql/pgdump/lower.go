package pgdump

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// lowerer lowercases the bytes of one value in the dump's client encoding.
type lowerer struct {
	name  string           // encoding as the dump names it (upper case)
	cm    *charmap.Charmap // single-byte encodings; nil for UTF8 and ASCII-only
	ascii bool             // A-Z only
}

// singleByte are the server encodings with a single-byte table in
// golang.org/x/text, by their PostgreSQL names.
var singleByte = map[string]*charmap.Charmap{
	"LATIN1": charmap.ISO8859_1, "LATIN2": charmap.ISO8859_2, "LATIN3": charmap.ISO8859_3,
	"LATIN4": charmap.ISO8859_4, "LATIN5": charmap.ISO8859_9, "LATIN6": charmap.ISO8859_10,
	"LATIN7": charmap.ISO8859_13, "LATIN8": charmap.ISO8859_14, "LATIN9": charmap.ISO8859_15,
	"LATIN10": charmap.ISO8859_16, "ISO_8859_5": charmap.ISO8859_5, "ISO_8859_6": charmap.ISO8859_6,
	"ISO_8859_7": charmap.ISO8859_7, "ISO_8859_8": charmap.ISO8859_8,
	"WIN866": charmap.CodePage866, "WIN874": charmap.Windows874, "WIN1250": charmap.Windows1250,
	"WIN1251": charmap.Windows1251, "WIN1252": charmap.Windows1252, "WIN1253": charmap.Windows1253,
	"WIN1254": charmap.Windows1254, "WIN1255": charmap.Windows1255, "WIN1256": charmap.Windows1256,
	"WIN1257": charmap.Windows1257, "WIN1258": charmap.Windows1258,
	"KOI8R": charmap.KOI8R, "KOI8U": charmap.KOI8U,
}

// encodingAliases maps other spellings PostgreSQL accepts to its names.
var encodingAliases = map[string]string{
	"UTF-8": "UTF8", "UNICODE": "UTF8", "ISO88591": "LATIN1", "ISO_8859_1": "LATIN1",
	"WIN": "WIN1251", "ALT": "WIN866", "KOI8": "KOI8R", "WINDOWS1252": "WIN1252", "CP1252": "WIN1252",
}

// newLowerer returns the lowerer for a client encoding name. Encodings
// without a table here (EUC_*, MULE_INTERNAL) are ASCII-compatible, so
// lowercasing A-Z is safe in them, but full lowercasing is not offered: they
// are refused (ErrEncoding) unless ascii is set.
func newLowerer(encoding string, ascii bool) (*lowerer, error) {
	name := strings.ToUpper(strings.TrimSpace(encoding))
	if a, ok := encodingAliases[name]; ok {
		name = a
	}
	l := &lowerer{name: name, ascii: ascii}
	switch {
	case ascii || name == "SQL_ASCII":
		l.ascii = true
	case name == "UTF8":
	case singleByte[name] != nil:
		l.cm = singleByte[name]
	default:
		return nil, fmt.Errorf("%w: %s (UTF8, LATIN1-10, WIN866/874/1250-1258 and KOI8R/U are)", ErrEncoding, encoding)
	}
	return l, nil
}

// lower appends the lowercase form of v to dst. Bytes that do not decode in
// the encoding, and characters whose lowercase form the encoding cannot
// represent, stay as they are.
func (l *lowerer) lower(dst, v []byte) []byte {
	switch {
	case l.ascii:
		for _, c := range v {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
	case l.cm != nil:
		for _, c := range v {
			if c < utf8.RuneSelf {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				dst = append(dst, c)
				continue
			}
			r := l.cm.DecodeByte(c)
			if lr := unicode.ToLower(r); lr != r {
				if b, ok := l.cm.EncodeRune(lr); ok {
					c = b
				}
			}
			dst = append(dst, c)
		}
	default:
		for i := 0; i < len(v); {
			c := v[i]
			if c < utf8.RuneSelf {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				dst = append(dst, c)
				i++
				continue
			}
			r, n := utf8.DecodeRune(v[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, c)
			} else {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			i += n
		}
	}
	return dst
}

// toUTF8 converts a value in the dump's encoding to UTF-8 for reports.
func (l *lowerer) toUTF8(v []byte) string {
	if l.cm == nil {
		return strings.ToValidUTF8(string(v), "\uFFFD")
	}
	var b strings.Builder
	for _, c := range v {
		b.WriteRune(l.cm.DecodeByte(c))
	}
	return b.String()
}
