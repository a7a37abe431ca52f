package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

func diffStrings(d Differences) []string {
	var out []string
	for _, k := range d.Keys {
		out = append(out, fmt.Sprintf("key %s %s del=%v/%v", k.Change, k.Key, k.OldDelete, k.NewDelete))
	}
	for _, v := range d.Values {
		o, n := "-", "-"
		if v.Old != nil {
			o = v.Old.String()
		}
		if v.New != nil {
			n = v.New.String()
		}
		out = append(out, fmt.Sprintf("value %s %s|%s %s -> %s", v.Change, v.Key, v.Name, o, n))
	}
	return out
}

func TestDiff(t *testing.T) {
	old := "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]\r\n" +
		"\"Same\"=\"x\"\r\n\"Text\"=\"old\"\r\n\"Type\"=dword:00000001\r\n\"Gone\"=hex:01\r\n\"Case\"=\"c\"\r\n" +
		"\"Dirs\"=hex(7):41,00,42,00,00\r\n" +
		"\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\Old]\r\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\Del]\r\n"
	// The new file: version 5, other case, same data in other forms, values in
	// another order, a key deletion undone.
	newText := "Windows Registry Editor Version 5.00\r\n\r\n[hkey_local_machine\\software\\pp-com\\mrs]\r\n" +
		"\"Dirs\"=hex(7):41,00,00,00,42,00,00,00,00,00\r\n" +
		"\"case\"=hex(1):63,00,00,00\r\n\"Type\"=\"1\"\r\n\"Text\"=\"new\"\r\n\"Same\"=\"x\"\r\n\"New\"=dword:00000002\r\n" +
		"\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\Del]\r\n"
	newData, _ := reg.UTF16LE.Append([]byte{0xFF, 0xFE}, newText)
	d, err := Diff(context.Background(), strings.NewReader(old), bytes.NewReader(newData), DiffOptions{OldName: "old.reg", NewName: "new.reg"})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(diffStrings(d), "\n")
	want := strings.Join([]string{
		`key changed HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\Del del=true/false`,
		`key removed HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\Old del=false/false`,
		`value removed HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS|Gone 01 -> -`,
		`value added hkey_local_machine\software\pp-com\mrs|New - -> 0x00000002 (2)`,
		`value changed hkey_local_machine\software\pp-com\mrs|Text "old" -> "new"`,
		`value changed hkey_local_machine\software\pp-com\mrs|Type 0x00000001 (1) -> "1"`,
	}, "\n")
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if d.Equal() {
		t.Fatal("Equal")
	}
}

// TestDiffSameText: data that differs only where its decoded form does not
// show it (after a multi-string's terminating empty string, after a
// string's NUL) is shown as the bytes, not as two equal texts.
func TestDiffSameText(t *testing.T) {
	file := func(multi, sz string) []byte {
		b, _ := reg.UTF16LE.Append([]byte{0xFF, 0xFE}, "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n"+
			"\"M\"=hex(7):"+multi+"\r\n\"S\"=hex(1):"+sz+"\r\n")
		return b
	}
	d, err := Diff(context.Background(), bytes.NewReader(file("61,00,00,00,00,00,62,00,00,00,00,00", "61,00,00,00,62,00")),
		bytes.NewReader(file("61,00,00,00,00,00", "61,00,00,00")), DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(diffStrings(d), "\n")
	want := "value changed HKEY_LOCAL_MACHINE\\SOFTWARE\\X|M 61 00 00 00 00 00 62 00 00 00 00 00 -> 61 00 00 00 00 00\n" +
		"value changed HKEY_LOCAL_MACHINE\\SOFTWARE\\X|S 61 00 00 00 62 00 00 00 -> 61 00 00 00"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// TestDiffFoldWow64: an export of the 32-bit view compares with one of the
// 64-bit view when folded.
func TestDiffFoldWow64(t *testing.T) {
	data := readSample(t, "xpr-v5.reg")
	var moved bytes.Buffer
	if _, err := Wow64(context.Background(), bytes.NewReader(data), &moved, Wow64Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := Diff(context.Background(), bytes.NewReader(data), bytes.NewReader(moved.Bytes()), DiffOptions{FoldWow64: true})
	if err != nil || !d.Equal() {
		t.Fatalf("folded: %v %q", err, diffStrings(d))
	}
	d, err = Diff(context.Background(), bytes.NewReader(data), bytes.NewReader(moved.Bytes()), DiffOptions{})
	if err != nil || len(d.Keys) != 10 || len(d.Values) != 2*20 {
		t.Fatalf("not folded: %v %d keys %d values", err, len(d.Keys), len(d.Values))
	}
	// Only what a pattern selects.
	d, err = Diff(context.Background(), bytes.NewReader(data), bytes.NewReader(moved.Bytes()), DiffOptions{Keys: []string{`HKLM\SOFTWARE\PP-COM\MRS\MRS Globals`, `HKLM\SOFTWARE\Wow6432Node\*\MRS\MRS Globals`}})
	if err != nil || len(d.Keys) != 2 || len(d.Values) != 12 {
		t.Fatalf("pattern: %v %q", err, diffStrings(d))
	}
}

func TestDiffErrors(t *testing.T) {
	_, err := Diff(context.Background(), strings.NewReader("REGEDIT4\n"), bytes.NewReader(readSample(t, "invalid-root.reg")), DiffOptions{NewName: "bad.reg"})
	if !errors.Is(err, reg.ErrRootKey) || !strings.HasPrefix(err.Error(), "bad.reg:3:2:") {
		t.Fatalf("%v", err)
	}
	if _, err := Diff(context.Background(), strings.NewReader(""), strings.NewReader(""), DiffOptions{Keys: []string{`\\`}}); !errors.Is(err, ErrKeyPath) {
		t.Fatalf("bad pattern: %v", err)
	}
}

func TestPatterns(t *testing.T) {
	ps, err := CompilePatterns([]string{`HKLM\Software\PP-COM\MRS`, `HKEY_CURRENT_USER\*\Client`}, false)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]bool{
		`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS`:             true,
		`hkey_local_machine\software\pp-com\mrs\x\y`:         true,
		`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRSX`:            false,
		`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM`:                 false,
		`HKEY_CURRENT_USER\Software\Client\A`:                true,
		`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS`: false,
	} {
		if ps.Match(key) != want {
			t.Errorf("%s: %v", key, !want)
		}
	}
	fold, _ := CompilePatterns([]string{`HKLM\Software\PP-COM`}, true)
	if !fold.Match(`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS`) {
		t.Error("fold")
	}
}

func TestWildMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "HTTPS://WINEHQ.ORG", true}, {"PP-*", "PP-COM", true}, {"PP-*", "PP", false},
		{"?P-COM", "PP-COM", true}, {"*COM", "PP-COM", true}, {"P*C*M", "PP-COM", true},
		{"P*X", "PP-COM", false}, {"[A]", "[A]", true}, {"[A]", "A", false}, {"", "", true},
		{"**", "", true}, {"A*", "", false},
	} {
		if got := wildMatch(c.p, c.s); got != c.want {
			t.Errorf("%q %q: %v", c.p, c.s, got)
		}
	}
}
