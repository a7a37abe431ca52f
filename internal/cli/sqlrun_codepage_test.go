package cli

import (
	"strconv"
	"strings"
	"testing"
)

// TestANSICodePage: sqlcmd reads a file without byte order mark in the
// system's ANSI code page. xdm takes that page when it can read it; on a
// Japanese, Chinese or Korean Windows (double-byte pages) it reads 1252 and
// says so, instead of reading the script differently from sqlcmd in silence.
func TestANSICodePage(t *testing.T) {
	for _, acp := range []int{1252, 1250, 1251, 1253, 874, 1258} {
		if cp, note := ansiCodePage(acp); cp != acp || note != "" {
			t.Errorf("ANSI code page %d: read as %d, note %q", acp, cp, note)
		}
	}
	for _, acp := range []int{932, 936, 949, 950} {
		cp, note := ansiCodePage(acp)
		if cp != 1252 || !strings.Contains(note, strconv.Itoa(acp)) || !strings.Contains(note, "1252") {
			t.Errorf("ANSI code page %d: read as %d, note %q; want 1252 and a note naming both pages", acp, cp, note)
		}
	}
}
