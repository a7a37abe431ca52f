package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
)

// The layout of a .reg file as regedit writes it, from Microsoft's "How to
// add, modify, or delete registry subkeys and values by using a .reg file"
// and "Registry value types" (docs/reg-format.md): version 5.00 files are
// UTF-16LE with the byte order mark FF FE, REGEDIT4 files ANSI (no mark, no
// NUL byte); the header line, a blank line, then keys in brackets (a leading
// "-" deletes one) under one of the predefined root keys, each followed by
// its values ("name" or @, "=", then a string, dword:, hex:, hex(N): or
// "-"), hex data continued with a backslash and two spaces; every line ends
// in CR LF, the last one too. This is written here from that documentation,
// not with xdm's reader, so that the two can disagree.
var (
	regKey   = regexp.MustCompile(`^\[-?(HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT|HKEY_USERS|HKEY_CURRENT_CONFIG)(\\[^\\]+)*\]$`)
	regStr   = `"([^"\\]|\\[\\"nr])*"` // escapes: \\ \" and the line ends \n \r (docs/reg-format.md)
	regName  = `(@|` + regStr + `)`
	regValue = regexp.MustCompile(`^` + regName + `=(` + regStr + `|dword:[0-9a-fA-F]{8}|-|hex(\([0-9a-fA-F]{1,8}\))?:([0-9a-fA-F]{2}(,[0-9a-fA-F]{2})*,?)?)$`)
	regHexRe = regexp.MustCompile(`^  [0-9a-fA-F]{2}(,[0-9a-fA-F]{2})*,?$`)
)

// checkReg returns the first place where data differs from the layout above.
func checkReg(data []byte) error {
	var text string
	var header string
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		if len(data)%2 != 0 {
			return errors.New("UTF-16LE file with an odd number of bytes")
		}
		u := make([]uint16, 0, len(data)/2-1)
		for i := 2; i < len(data); i += 2 {
			u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
		}
		text, header = string(utf16.Decode(u)), "Windows Registry Editor Version 5.00"
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return errors.New("UTF-8 byte order mark: regedit writes UTF-16LE (5.00) or ANSI (REGEDIT4)")
	case bytes.IndexByte(data, 0) >= 0:
		return errors.New("NUL bytes without the UTF-16LE byte order mark")
	default:
		text, header = string(data), "REGEDIT4" // ANSI: only ASCII matters below
	}
	if !strings.HasSuffix(text, "\r\n") {
		return errors.New("the last line does not end in CR LF")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			return fmt.Errorf("line %d: a line end other than CR LF", i+1)
		}
	}
	if lines[0] != header {
		return fmt.Errorf("line 1: %q, want the header %q for this encoding", lines[0], header)
	}
	if len(lines) < 2 || lines[1] != "" {
		return errors.New("line 2: want a blank line after the header")
	}
	inKey, continued := false, false
	for i, l := range lines[2:] {
		n := i + 3
		switch {
		case continued:
			if !regHexRe.MatchString(strings.TrimSuffix(l, "\\")) {
				return fmt.Errorf("line %d: %q, want hex bytes continuing the line above", n, l)
			}
		case l == "" || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "["):
			if !regKey.MatchString(l) {
				return fmt.Errorf("line %d: %q is not a key under a predefined root key", n, l)
			}
			inKey = !strings.HasPrefix(l, "[-")
		default:
			if !inKey {
				return fmt.Errorf("line %d: a value outside a key", n)
			}
			if !regValue.MatchString(strings.TrimSuffix(l, "\\")) {
				return fmt.Errorf("line %d: %q is not a value line", n, l)
			}
		}
		continued = strings.HasSuffix(l, "\\") && (continued || strings.Contains(l, "=hex"))
		if continued && !strings.HasSuffix(l, ",\\") && !strings.HasSuffix(l, ":\\") {
			return fmt.Errorf("line %d: hex data breaks after a comma (or the colon), then the backslash", n)
		}
	}
	if continued {
		return errors.New("the last line continues")
	}
	return nil
}

// TestRegSamples: every .reg sample is laid out as regedit writes it, except
// the deliberate deviations named in the README.md beside it.
func TestRegSamples(t *testing.T) {
	files := samples(t, 3, hasExt(".reg"))
	checkAll(t, files, func(t *testing.T, rel string) error {
		data, err := os.ReadFile(abs(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		return checkReg(data)
	})
}

// TestCheckReg: the layout check itself tells regedit's files from others.
func TestCheckReg(t *testing.T) {
	utf16le := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	good := "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM]\r\n@=\"x\"\r\n\"A\"=dword:00000001\r\n\"B\"=hex(2):25,00,\\\r\n  00,00\r\n\"C\"=-\r\n\r\n[-HKEY_CURRENT_USER\\Old]\r\n\r\n"
	if err := checkReg(utf16le(good)); err != nil {
		t.Errorf("regedit's layout refused: %v", err)
	}
	if err := checkReg([]byte("REGEDIT4\r\n\r\n[HKEY_USERS\\.DEFAULT]\r\n\"Name\"=\"M\xfcller\"\r\n\r\n")); err != nil {
		t.Errorf("REGEDIT4 refused: %v", err)
	}
	for name, bad := range map[string][]byte{
		"no BOM":        []byte(good),
		"LF":            utf16le(strings.ReplaceAll(good, "\r\n", "\n")),
		"no final CRLF": utf16le(strings.TrimRight(good, "\r\n")),
		"UTF-8 BOM":     append([]byte{0xEF, 0xBB, 0xBF}, good...),
		"bad root":      utf16le(strings.Replace(good, "HKEY_LOCAL_MACHINE", "HKLM", 1)),
		"bad dword":     utf16le(strings.Replace(good, "dword:00000001", "dword:1", 1)),
		"bad hex":       utf16le(strings.Replace(good, "  00,00", "00,00", 1)),
		"REGEDIT4 BOM":  utf16le("REGEDIT4\r\n\r\n"),
	} {
		if checkReg(bad) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
