//go:build !windows

package mssql

// protocolAvailable reports whether this build can use the -S protocol p:
// go-mssqldb speaks named pipes and shared memory on Windows only.
func protocolAvailable(p string) bool { return p != "np" && p != "lpc" }
