//go:build !windows

package cli

// systemCodePage stands for the Windows ANSI code page, 1252 on the western
// European and American systems xdm's servers run. Outside Windows there
// is none to ask.
func systemCodePage() int { return 1252 }
