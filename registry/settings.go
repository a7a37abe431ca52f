package registry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// ErrSetting: a setting that the catalog does not know, or a value it
// refuses.
var ErrSetting = errors.New("invalid setting")

// Setting is a single registry setting the upgrade manuals have the
// administrator enter by hand.
type Setting struct {
	// Name is the setting's name for WriteSettings and xdm reg set.
	Name string `json:"name"`
	// Key and Value are where it lives; Type its registry type (REG_DWORD
	// or REG_SZ).
	Key   string   `json:"key"`
	Value string   `json:"value"`
	Type  reg.Type `json:"-"`
	// Default is the data written when none is given; empty: data required.
	Default string `json:"default,omitempty"`
	// Doc says what the setting is for and where it comes from.
	Doc string `json:"doc"`

	check func(string) error
}

// Settings is the catalog of the settings the manuals name.
var Settings = []Setting{
	{
		Name: "disable-user-tos", Type: reg.RegDword, Default: "0",
		Key:   `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`,
		Value: "DisableUserTOSSetting",
		Doc: "0 lets programs set the IP type-of-service (DSCP) bits of their packets, which XPR's voice and fax " +
			"traffic needs for quality of service; the manual has it set to 0. Windows reads it at start: restart after the import.",
		check: checkDword,
	},
	{
		Name: "bind-address", Type: reg.RegSZ,
		Key:   `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\TcpApl\NwPlugTcp`,
		Value: "BindAddress",
		Doc: "the IP address XPR's TCP/IP APL (NwPlugTcp) listens on: in a cluster, the address of the cluster's " +
			"network name rather than a node's. Restart the XPR server after the import.",
		check: checkIP,
	},
}

// LookupSetting returns the catalog's setting called name (without regard
// to case).
func LookupSetting(name string) (Setting, bool) {
	for _, s := range Settings {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return Setting{}, false
}

// Assignment is a value to write under a key.
type Assignment struct {
	Key   string
	Value *reg.Value
}

// Assign returns the setting with data (its Default when data is empty),
// checked: a number for a REG_DWORD (decimal, or hex with 0x), an IPv4 or
// IPv6 address for bind-address.
func (s Setting) Assign(data string) (Assignment, error) {
	if data == "" {
		data = s.Default
	}
	if data == "" {
		return Assignment{}, fmt.Errorf("%w: %s needs a value (%s=VALUE)", ErrSetting, s.Name, s.Name)
	}
	if s.check != nil {
		if err := s.check(data); err != nil {
			return Assignment{}, fmt.Errorf("%w: %s=%s: %v", ErrSetting, s.Name, data, err)
		}
	}
	v, err := NewValue(s.Value, s.Type, data)
	if err != nil {
		return Assignment{}, err
	}
	return Assignment{Key: s.Key, Value: v}, nil
}

func checkDword(s string) error {
	_, err := parseUint(s, 32)
	return err
}

func checkIP(s string) error {
	if _, err := netip.ParseAddr(s); err != nil {
		return errors.New("not an IP address")
	}
	return nil
}

// parseUint reads a decimal number or a hex one with 0x.
func parseUint(s string, bits int) (uint64, error) {
	s = strings.TrimSpace(s)
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		return strconv.ParseUint(h, 16, bits)
	}
	return strconv.ParseUint(s, 10, bits)
}

// NewValue returns a value of type t named name (empty for the default
// value) from its data written as a person would: text for REG_SZ and
// REG_EXPAND_SZ, elements separated by "\0" (the two characters; none
// may be empty, a last "\0" is the list's end) for REG_MULTI_SZ, a number (decimal or 0x hex) for REG_DWORD and REG_QWORD,
// hex bytes (blanks and commas allowed between them) for any other type.
// REG_EXPAND_SZ and REG_MULTI_SZ are held as UTF-16LE hex data, as regedit
// exports them in a version 5.00 file.
func NewValue(name string, t reg.Type, data string) (*reg.Value, error) {
	v := &reg.Value{Name: name, Type: t, Form: reg.FormHex, Encoding: reg.UTF16LE}
	switch t {
	case reg.RegSZ:
		v.Form, v.Text = reg.FormString, data
	case reg.RegExpandSZ:
		v.Bytes, _ = reg.UTF16LE.Append(nil, data+"\x00")
	case reg.RegMultiSZ:
		// A REG_MULTI_SZ ends at its first empty string: an empty element
		// would silently drop every element after it.
		elems := strings.TrimSuffix(data, `\0`)
		if elems != "" && slices.Contains(strings.Split(elems, `\0`), "") {
			return nil, fmt.Errorf("%w: %q has an empty element, which would end the REG_MULTI_SZ there and drop the elements after it", ErrSetting, data)
		}
		if elems != "" {
			elems += "\x00"
		}
		v.Bytes, _ = reg.UTF16LE.Append(nil, strings.ReplaceAll(elems, `\0`, "\x00")+"\x00")
	case reg.RegDword:
		n, err := parseUint(data, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: %q is no 32-bit number", ErrSetting, data)
		}
		v.Form, v.Bytes = reg.FormDword, binary.LittleEndian.AppendUint32(nil, uint32(n))
	case reg.RegQword:
		n, err := parseUint(data, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: %q is no 64-bit number", ErrSetting, data)
		}
		v.Bytes = binary.LittleEndian.AppendUint64(nil, n)
	default:
		digits := strings.NewReplacer(",", "", " ", "", "\t", "").Replace(data)
		b, err := decodeHexString(digits)
		if err != nil {
			return nil, fmt.Errorf("%w: %q is no hex bytes", ErrSetting, data)
		}
		v.Bytes = b
	}
	return v, nil
}

func decodeHexString(s string) ([]byte, error) {
	if len(s)%2 != 0 {
		return nil, errors.New("odd number of digits")
	}
	out := make([]byte, len(s)/2)
	for i := range out {
		n, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, err
		}
		out[i] = byte(n)
	}
	return out, nil
}

// SettingsOptions control WriteSettings. The zero value writes a version
// 5.00 file, as regedit exports.
type SettingsOptions struct {
	// Version4 writes a REGEDIT4 file (ANSI) instead of a version 5.00 one
	// (UTF-16LE with byte-order mark).
	Version4 bool
	// Comment, if set, is written as comment lines after the header.
	Comment string
}

// WriteSettings writes a .reg file that sets the values: the header, then
// each key once with its values, keys in the order they first appear, all
// lines ending in CRLF, as regedit exports.
func WriteSettings(w io.Writer, values []Assignment, opts SettingsOptions) error {
	enc, version := reg.UTF16LE, reg.Version5
	if opts.Version4 {
		enc, version = reg.ANSI, reg.Version4
	}
	out := reg.NewWriter(w, enc, "\r\n")
	if err := out.WriteHeader(version); err != nil {
		return err
	}
	if opts.Comment != "" {
		for _, line := range strings.Split(strings.TrimRight(opts.Comment, "\n"), "\n") {
			b, ok := enc.Append(nil, "; "+strings.TrimRight(line, "\r")+"\r\n")
			if !ok {
				return fmt.Errorf("%w: the comment in an %s file", reg.ErrUnrepresentable, enc)
			}
			if err := out.WriteRaw(b); err != nil {
				return err
			}
		}
	}
	var keys []string
	byKey := map[string][]*reg.Value{}
	for _, a := range values {
		c := canonical(a.Key, false)
		if _, ok := byKey[c]; !ok {
			keys = append(keys, a.Key)
		}
		byKey[c] = append(byKey[c], a.Value)
	}
	for _, k := range keys {
		key, err := FullKeyPath(k)
		if err != nil {
			return err
		}
		if err := out.WriteBlank(); err != nil {
			return err
		}
		if err := out.WriteKey(key, false); err != nil {
			return err
		}
		for _, v := range byKey[canonical(k, false)] {
			vv := *v
			if vv.Form == reg.FormHex && vv.Encoding != enc && vv.IsString() {
				b, ok := enc.Append(nil, vv.Encoding.Decode(vv.Bytes))
				if !ok {
					return fmt.Errorf("%w: the data of %q in an %s file", reg.ErrUnrepresentable, vv.Name, enc)
				}
				vv.Bytes, vv.Encoding = b, enc
			}
			if err := out.WriteValue(&vv); err != nil {
				return err
			}
		}
	}
	return out.WriteBlank()
}
