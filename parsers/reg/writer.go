package reg

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// Writer writes a .reg file: the byte-order mark of its encoding first,
// then records as they were read (byte for byte) or new ones the way regedit
// exports them.
type Writer struct {
	w       io.Writer
	enc     Encoding
	nl      string
	n       int64
	started bool
}

// NewWriter returns a Writer of a file in encoding enc whose lines end in
// lineEnd ("\r\n", "\n" or "\r"; "" means "\r\n", regedit's). Pass the
// Reader's Encoding and LineEnd to rewrite a file in its own style.
func NewWriter(w io.Writer, enc Encoding, lineEnd string) *Writer {
	if lineEnd == "" {
		lineEnd = "\r\n"
	}
	return &Writer{w: w, enc: enc, nl: lineEnd}
}

// Written returns the number of bytes written so far.
func (w *Writer) Written() int64 { return w.n }

// WriteRaw writes b as it is, after the byte-order mark if nothing was
// written yet.
func (w *Writer) WriteRaw(b []byte) error {
	if !w.started {
		w.started = true
		if err := w.write(w.enc.BOM()); err != nil {
			return err
		}
	}
	return w.write(b)
}

// WriteRecord writes rec.Raw: a record read by a Reader comes out unchanged.
func (w *Writer) WriteRecord(rec *Record) error { return w.WriteRaw(rec.Raw) }

// WriteHeader writes the header line of version v.
func (w *Writer) WriteHeader(v Version) error { return w.writeText(v.Header() + w.nl) }

// WriteBlank writes an empty line.
func (w *Writer) WriteBlank() error { return w.writeText(w.nl) }

// WriteKey writes the key line [path], or [-path] when del is set.
func (w *Writer) WriteKey(path string, del bool) error {
	if err := checkKeyPath(path); err != nil {
		return err
	}
	if del {
		return w.writeText("[-" + path + "]" + w.nl)
	}
	return w.writeText("[" + path + "]" + w.nl)
}

// WriteValue writes a value line as regedit exports it (see FormatValue).
func (w *Writer) WriteValue(v *Value) error {
	b, err := FormatValue(v, w.enc, w.nl, w.nl)
	if err != nil {
		return err
	}
	return w.WriteRaw(b)
}

// ReplaceValue writes v in place of the value record old: as regedit
// exports it, but ending as old ends (so a last line without line end
// stays without one).
func (w *Writer) ReplaceValue(old *Record, v *Value) error {
	b, err := FormatValue(v, w.enc, w.nl, old.enc.Decode(old.Terminator()))
	if err != nil {
		return err
	}
	return w.WriteRaw(b)
}

func (w *Writer) writeText(s string) error {
	b, ok := w.enc.Append(nil, s)
	if !ok {
		return fmt.Errorf("%w: %q in an %s file", ErrUnrepresentable, s, w.enc)
	}
	return w.WriteRaw(b)
}

func (w *Writer) write(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	n, err := w.w.Write(b)
	w.n += int64(n)
	return err
}

// hexLineWidth is where regedit breaks lines of hex data: after the comma
// that makes the line 77 characters or longer, it writes '\', a line end and
// two blanks, so a line holds at most 80 characters with the backslash and
// a continuation line 25 bytes. docs/reg-format.md says how this was found.
const hexLineWidth = 77

// FormatValue returns the value line of v in encoding enc the way regedit
// exports it: the name quoted with \\ and \" escaped (@ for the default
// value; a line end in a name as \r or \n), then "text", dword:%08x, or
// hex:/hex(N): with lower-case bytes broken into lines of at most 80
// characters by '\' and nl. The line ends in end. Text that a quoted string
// cannot hold (a line end or NUL) is written as hex(1) data, which every
// regedit imports. It fails with
// ErrUnrepresentable when enc cannot write a character of the name or text.
func FormatValue(v *Value, enc Encoding, nl, end string) ([]byte, error) {
	var b strings.Builder
	name := "@"
	if strings.ContainsRune(v.Name, 0) {
		return nil, fmt.Errorf("%w: the name %q holds a NUL", ErrUnrepresentable, v.Name)
	}
	if v.Name != "" {
		name = `"` + nameEscaper.Replace(v.Name) + `"`
	}
	b.WriteString(name)
	b.WriteByte('=')
	switch v.Form {
	case FormDelete:
		b.WriteByte('-')
	case FormString:
		if strings.ContainsAny(v.Text, "\r\n\x00") {
			data, ok := enc.Append(nil, v.Text)
			if !ok {
				return nil, fmt.Errorf("%w: the text of value %q in an %s file", ErrUnrepresentable, v.Name, enc)
			}
			data = append(data, make([]byte, enc.width())...)
			writeHex(&b, RegSZ, data, utf16Len(name)+1, nl)
			break
		}
		b.WriteByte('"')
		b.WriteString(textEscaper.Replace(v.Text))
		b.WriteByte('"')
	case FormDword:
		if len(v.Bytes) != 4 {
			return nil, fmt.Errorf("reg: dword value %q with %d bytes", v.Name, len(v.Bytes))
		}
		fmt.Fprintf(&b, "dword:%02x%02x%02x%02x", v.Bytes[3], v.Bytes[2], v.Bytes[1], v.Bytes[0])
	case FormHex:
		writeHex(&b, v.Type, v.Bytes, utf16Len(name)+1, nl)
	}
	b.WriteString(end)
	out, ok := enc.Append(nil, b.String())
	if !ok {
		return nil, fmt.Errorf("%w: value %q in an %s file", ErrUnrepresentable, v.Name, enc)
	}
	return out, nil
}

// writeHex writes hex:BYTES or hex(N):BYTES, with regedit's line breaks;
// col is the length of the line before it.
func writeHex(b *strings.Builder, t Type, data []byte, col int, nl string) {
	prefix := "hex:"
	if t != RegBinary {
		prefix = fmt.Sprintf("hex(%x):", uint32(t))
	}
	b.WriteString(prefix)
	col += len(prefix)
	const digits = "0123456789abcdef"
	for i, c := range data {
		b.WriteByte(digits[c>>4])
		b.WriteByte(digits[c&15])
		if i == len(data)-1 {
			break
		}
		b.WriteByte(',')
		if col += 3; col >= hexLineWidth {
			b.WriteString(`\` + nl + "  ")
			col = 2
		}
	}
}

// The escapes of quoted strings: \\ and \" in data; in names, where hex
// cannot stand in, also \r and \n, which regedit reads.
var (
	textEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	nameEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", `\r`, "\n", `\n`)
)

// utf16Len is the length of s in UTF-16 code units, the characters regedit
// counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
