//go:build windows

package mssql

import (
	"runtime"

	// go-mssqldb speaks named pipes (np:) on Windows once this is imported.
	_ "github.com/microsoft/go-mssqldb/namedpipe"
)

// protocolAvailable reports whether this build can use the -S protocol p.
func protocolAvailable(p string) bool {
	switch p {
	case "np":
		return true
	case "lpc":
		return sharedMemory && (runtime.GOARCH == "amd64" || runtime.GOARCH == "386")
	}
	return true
}
