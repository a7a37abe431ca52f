//go:build windows

package cli

import "golang.org/x/sys/windows"

// systemCodePage is the system's ANSI code page, which sqlcmd reads files
// without byte order mark in.
func systemCodePage() int { return int(windows.GetACP()) }
