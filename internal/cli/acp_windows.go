//go:build windows

package cli

import (
	"strings"

	"golang.org/x/sys/windows"

	"github.com/xdm-migrate/xdm/sql/batch"
)

// ansiCodePage is the code page sqlcmd reads files without byte order mark
// in: the system's ANSI code page, or 1252 when xdm cannot decode that one.
func ansiCodePage() int {
	cp := int(windows.GetACP())
	if _, _, err := batch.Decode(strings.NewReader(""), cp); err != nil {
		return 1252
	}
	return cp
}
