//go:build !windows

package cli

// ansiCodePage is the code page sqlcmd reads files without byte order mark
// in: the Windows ANSI code page, 1252 on the western European and
// American systems xdm's servers run. Outside Windows there is none to ask.
func ansiCodePage() int { return 1252 }
