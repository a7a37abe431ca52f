package cli

import (
	"strconv"
	"strings"
	"testing"
)

// TestANSICodePage: sqlcmd reads a file without byte order mark in the
// system's ANSI code page. xdm takes that page when it can read it, the
// double-byte pages of a Japanese, Chinese or Korean Windows included; a
// page it cannot read (20127 US-ASCII, 50220 ISO-2022-JP: never an ANSI
// page, but a system may report one) is read as 1252 with a note, instead
// of reading the script differently from sqlcmd in silence.
func TestANSICodePage(t *testing.T) {
	for _, acp := range []int{1252, 1250, 1251, 1253, 874, 1258, 932, 936, 949, 950} {
		if cp, note := ansiCodePage(acp); cp != acp || note != "" {
			t.Errorf("ANSI code page %d: read as %d, note %q", acp, cp, note)
		}
	}
	for _, acp := range []int{20127, 50220} {
		cp, note := ansiCodePage(acp)
		if cp != 1252 || !strings.Contains(note, strconv.Itoa(acp)) || !strings.Contains(note, "1252") {
			t.Errorf("ANSI code page %d: read as %d, note %q; want 1252 and a note naming both pages", acp, cp, note)
		}
	}
}
