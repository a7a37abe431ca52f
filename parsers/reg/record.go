package reg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/internal/plural"
)

// Kind tells what a Record is.
type Kind int

const (
	// KindHeader is the first line: "Windows Registry Editor Version 5.00"
	// or "REGEDIT4".
	KindHeader Kind = iota
	// KindKey is a key line [KEY], or [-KEY] which deletes the key.
	KindKey
	// KindValue is a value with its data, on one line or continued over
	// several, or NAME=- which deletes the value.
	KindValue
	// KindComment is a line whose first character other than blanks is ';'.
	KindComment
	// KindBlank is an empty line or one of blanks only.
	KindBlank
)

var kindNames = [...]string{"header", "key", "value", "comment", "blank"}

// String returns "header", "key", "value", "comment" or "blank".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Version is the format a header announces.
type Version int

const (
	// Version5 is "Windows Registry Editor Version 5.00", what regedit has
	// written since Windows 2000 (as UTF-16LE).
	Version5 Version = 5
	// Version4 is "REGEDIT4", the Windows 95/NT 4 format (ANSI).
	Version4 Version = 4
)

// Header returns the header line of the version.
func (v Version) Header() string {
	if v == Version4 {
		return "REGEDIT4"
	}
	return "Windows Registry Editor Version 5.00"
}

// Record is one entry of a .reg file.
type Record struct {
	Kind Kind
	// Raw is the record's bytes exactly as in the file, in its encoding: the
	// line (and, for a value continued with '\', every line up to its last
	// one, blank and comment lines in between included) with its line ends.
	// The byte-order mark is not part of the first record.
	Raw []byte
	// Line is the 1-based line number of the record's first line.
	Line int64
	// Offset is the byte offset of Raw[0] in the file (the byte-order mark
	// counts).
	Offset int64
	// Version is the format the header announces (KindHeader).
	Version Version
	// Key is the key path of a KindKey record as written between the
	// brackets, decoded; for a KindValue record, the path of the key the
	// value belongs to.
	Key string
	// Delete reports a key line [-KEY].
	Delete bool
	// Value is the value of a KindValue record.
	Value *Value

	enc            Encoding
	keyFrom, keyTo int // byte offsets of the key path in Raw (KindKey)
}

// Encoding returns the encoding of the file the record was read from.
func (r *Record) Encoding() Encoding { return r.enc }

// Terminator returns the line end that ends Raw (CRLF, LF or CR), or nil for
// the last line of a file without a final line end.
func (r *Record) Terminator() []byte {
	return terminator(r.Raw, r.enc.width())
}

func terminator(b []byte, w int) []byte {
	n := len(b)
	if n < w {
		return nil
	}
	last := unit(b, n-w, w)
	switch {
	case last == '\n' && n >= 2*w && unit(b, n-2*w, w) == '\r':
		return b[n-2*w:]
	case last == '\n' || last == '\r':
		return b[n-w:]
	}
	return nil
}

// WithKey returns a copy of a KindKey record whose key path is path: the
// path replaced inside Raw, every other byte (blanks, line end) kept. It
// fails with ErrUnrepresentable when the file's encoding cannot write path,
// and with ErrSyntax when path is no key path a key line can hold.
func (r *Record) WithKey(path string) (*Record, error) {
	if r.Kind != KindKey {
		return nil, fmt.Errorf("reg: WithKey on a %s record", r.Kind)
	}
	if err := checkKeyPath(path); err != nil {
		return nil, err
	}
	b, ok := r.enc.Append(nil, path)
	if !ok {
		return nil, fmt.Errorf("%w: the key %q in an %s file", ErrUnrepresentable, path, r.enc)
	}
	raw := make([]byte, 0, len(r.Raw)-(r.keyTo-r.keyFrom)+len(b))
	raw = append(raw, r.Raw[:r.keyFrom]...)
	raw = append(raw, b...)
	raw = append(raw, r.Raw[r.keyTo:]...)
	out := *r
	out.Raw, out.Key, out.keyTo = raw, path, r.keyFrom+len(b)
	return &out, nil
}

// checkKeyPath rejects a path that a key line cannot hold: empty, starting
// with a blank or '-', or holding a line end or NUL.
func checkKeyPath(path string) error {
	if path == "" || strings.ContainsAny(path, "\r\n\x00") || strings.IndexAny(path[:1], " \t-") == 0 {
		return fmt.Errorf("%w: %q cannot be written as a key path", ErrSyntax, path)
	}
	return nil
}

// Form is how a value's data is written.
type Form int

const (
	// FormDelete is NAME=-: the line deletes the value.
	FormDelete Form = iota
	// FormString is "text": REG_SZ.
	FormString
	// FormDword is dword:XXXXXXXX: REG_DWORD.
	FormDword
	// FormHex is hex:BYTES (REG_BINARY) or hex(N):BYTES (type N).
	FormHex
)

// Type is a registry value type, REG_SZ and so on (the numbers of winnt.h).
type Type uint32

// The value types Microsoft defines.
const (
	RegNone                     Type = 0
	RegSZ                       Type = 1
	RegExpandSZ                 Type = 2
	RegBinary                   Type = 3
	RegDword                    Type = 4
	RegDwordBigEndian           Type = 5
	RegLink                     Type = 6
	RegMultiSZ                  Type = 7
	RegResourceList             Type = 8
	RegFullResourceDescriptor   Type = 9
	RegResourceRequirementsList Type = 10
	RegQword                    Type = 11
)

var typeNames = [...]string{"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
	"REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
	"REG_FULL_RESOURCE_DESCRIPTOR", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD"}

// String returns the name of the type (REG_SZ), or hex(N) for a number
// Microsoft gives no name.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("hex(%x)", uint32(t))
}

// Value is a value line: a name and its data.
type Value struct {
	// Name is the value name, unescaped; "" is the key's default value,
	// written @ (or "").
	Name string
	// Form is how the data is written.
	Form Form
	// Type is the registry type: REG_SZ for a string, REG_DWORD for dword:,
	// REG_BINARY for hex:, N for hex(N):. Zero (REG_NONE) for FormDelete.
	Type Type
	// Text is the string of a FormString value, unescaped.
	Text string
	// Bytes are the data of a FormHex value as listed, or the four bytes
	// (little-endian) of a FormDword value.
	Bytes []byte
	// Encoding is the encoding of the file: the bytes of hex(1), hex(2) and
	// hex(7) data are text in it (UTF-16LE in a Unicode file, ANSI in a
	// REGEDIT4 file), as regedit reads them.
	Encoding Encoding
}

// IsString reports whether the value is REG_SZ, REG_EXPAND_SZ or
// REG_MULTI_SZ: text, however it is written.
func (v *Value) IsString() bool {
	return v.Form != FormDelete && (v.Type == RegSZ || v.Type == RegExpandSZ || v.Type == RegMultiSZ)
}

// RegistryData returns the bytes regedit stores when it imports the value:
// strings as UTF-16LE with their terminating NUL (ANSI hex(1), hex(2) and
// hex(7) data converted, a missing terminator added, as regedit does), the
// dword as four little-endian bytes, any other hex data as listed. Two values
// with equal type and RegistryData are the same in the registry, whatever
// file version or form wrote them. It is nil for FormDelete.
func (v *Value) RegistryData() []byte {
	switch v.Form {
	case FormString:
		b, _ := UTF16LE.Append(nil, v.Text)
		return append(b, 0, 0)
	case FormDword:
		return v.Bytes
	case FormHex:
		if !v.IsString() || len(v.Bytes) == 0 {
			return v.Bytes
		}
		if v.Encoding == UTF16LE {
			if len(v.Bytes)%2 == 1 || (v.Bytes[len(v.Bytes)-2] == 0 && v.Bytes[len(v.Bytes)-1] == 0) {
				return v.Bytes
			}
			return append(v.Bytes[:len(v.Bytes):len(v.Bytes)], 0, 0)
		}
		b := v.Bytes
		if b[len(b)-1] != 0 {
			b = append(b[:len(b):len(b)], 0)
		}
		out, _ := UTF16LE.Append(nil, ANSI.Decode(b))
		return out
	}
	return nil
}

// ErrType is returned by the typed accessors of a Value of another type.
var ErrType = errors.New("reg: value of another type")

// AsString returns the text of a REG_SZ or REG_EXPAND_SZ value, up to its
// first NUL.
func (v *Value) AsString() (string, error) {
	if v.Form == FormDelete || (v.Type != RegSZ && v.Type != RegExpandSZ) {
		return "", fmt.Errorf("%w: %s is not REG_SZ or REG_EXPAND_SZ", ErrType, v.Type)
	}
	s := UTF16LE.Decode(v.RegistryData())
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s, nil
}

// AsStrings returns the strings of a REG_MULTI_SZ value: the NUL-terminated
// strings of its data up to the empty one that ends the list.
func (v *Value) AsStrings() ([]string, error) {
	if v.Form == FormDelete || v.Type != RegMultiSZ {
		return nil, fmt.Errorf("%w: %s is not REG_MULTI_SZ", ErrType, v.Type)
	}
	s := UTF16LE.Decode(v.RegistryData())
	list := []string{}
	for s != "" {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			list = append(list, s)
			break
		}
		if i == 0 {
			break
		}
		list = append(list, s[:i])
		s = s[i+1:]
	}
	return list, nil
}

// AsUint returns the number of a REG_DWORD (four bytes), REG_DWORD_BIG_ENDIAN
// (four bytes) or REG_QWORD (eight bytes) value.
func (v *Value) AsUint() (uint64, error) {
	b := v.RegistryData()
	switch {
	case v.Form == FormDelete:
	case v.Type == RegDword && len(b) == 4:
		return uint64(binary.LittleEndian.Uint32(b)), nil
	case v.Type == RegDwordBigEndian && len(b) == 4:
		return uint64(binary.BigEndian.Uint32(b)), nil
	case v.Type == RegQword && len(b) == 8:
		return binary.LittleEndian.Uint64(b), nil
	}
	return 0, fmt.Errorf("%w: %s with %s is no number", ErrType, v.Type, plural.Count(len(b), "byte"))
}

// Errors wrapped by the *position.Error of a record that does not fit the
// format; test with errors.Is.
var (
	// ErrSyntax: the input does not fit the grammar at line:column.
	ErrSyntax = errors.New("syntax error")
	// ErrHeader: the first line is neither header regedit accepts.
	ErrHeader = errors.New("invalid header")
	// ErrEncoding: the file is in an encoding regedit does not read.
	ErrEncoding = errors.New("invalid encoding")
	// ErrEscape: a backslash in a quoted string starts no escape regedit
	// reads (\\ \" \n \r).
	ErrEscape = errors.New("invalid escape")
	// ErrRootKey: a key path does not start with a root key regedit knows
	// (HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT,
	// HKEY_USERS, HKEY_CURRENT_CONFIG, written out in full).
	ErrRootKey = errors.New("invalid root key")
	// ErrTypeNumber: hex(N) with a type number that does not fit 32 bits.
	ErrTypeNumber = errors.New("invalid value type")
	// ErrNoKey: a value line with no key to belong to (before the first key
	// line, or after a key deletion [-KEY]); regedit drops it.
	ErrNoKey = errors.New("value outside a key")
	// ErrUnrepresentable: text that the file's encoding cannot write.
	ErrUnrepresentable = errors.New("not representable in the file's encoding")
)

type encodingError string

func (e encodingError) Error() string { return string(e) }
func (e encodingError) Unwrap() error { return ErrEncoding }

func errEncoding(msg string) error { return encodingError(msg) }
