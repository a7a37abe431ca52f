package registry

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// TestRenameKeepsHexStringForm: a renamed REG_SZ keeps the form it came
// in. regedit exports a REG_SZ as "text" unless its data is not a proper
// string (no terminating NUL, a NUL inside); then it writes hex(1), and
// "text" would import other bytes (a NUL added, the text cut at the first
// NUL). So hex(1) stays hex(1), with exactly the old bytes but the host
// name, and "text" stays "text" (docs/reg-format.md, "How xdm writes").
func TestRenameKeepsHexStringForm(t *testing.T) {
	ansi := "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\PP-COM\\MRS]\r\n" +
		"\"Proper\"=hex(1):5c,5c,54,4c,43,4c,4b,4e,31,5c,78,00\r\n" +
		"\"NoNul\"=hex(1):54,4c,43,4c,4b,4e,31\r\n" +
		"\"Embedded\"=hex(1):54,4c,43,4c,4b,4e,31,00,61,00\r\n" +
		"\"Text\"=\"TLCLKN1\"\r\n"
	want := strings.NewReplacer(
		"5c,5c,54,4c,43,4c,4b,4e,31,5c,78,00", "5c,5c,4e,4f,44,45,32,5c,78,00",
		"hex(1):54,4c,43,4c,4b,4e,31\r\n", "hex(1):4e,4f,44,45,32\r\n",
		"54,4c,43,4c,4b,4e,31,00,61,00", "4e,4f,44,45,32,00,61,00",
		"\"TLCLKN1\"", "\"NODE2\"").Replace(ansi)
	unicodeIn := "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\PP-COM\\MRS]\r\n" +
		"\"NoNul\"=hex(1):54,00,4c,00,43,00,4c,00,4b,00,4e,00,31,00\r\n" +
		"\"Embedded\"=hex(1):54,00,4c,00,43,00,4c,00,4b,00,4e,00,31,00,00,00,61,00,00,00\r\n"
	unicodeWant := strings.NewReplacer(
		"54,00,4c,00,43,00,4c,00,4b,00,4e,00,31,00", "4e,00,4f,00,44,00,45,00,32,00").Replace(unicodeIn)
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	utf16 := func(s string) []byte { b, _ := enc.Bytes([]byte(s)); return b }
	for _, c := range []struct {
		name     string
		in, want []byte
		changes  int
	}{
		{"REGEDIT4", []byte(ansi), []byte(want), 4},
		{"5.00 UTF-16LE", utf16(unicodeIn), utf16(unicodeWant), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			if bytes.Equal(c.in, c.want) {
				t.Fatal("the test's input and expected output are the same")
			}
			var out bytes.Buffer
			var changes []Change
			_, err := RenameHost(context.Background(), bytes.NewReader(c.in), &out, RenameOptions{
				Name: "x.reg", From: "TLCLKN1", To: "NODE2", OnChange: func(ch Change) { changes = append(changes, ch) }})
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != c.changes {
				t.Errorf("%d changes: %+v", len(changes), changes)
			}
			if !bytes.Equal(out.Bytes(), c.want) {
				t.Fatalf("got\n%q\nwant\n%q", out.Bytes(), c.want)
			}
		})
	}
}
