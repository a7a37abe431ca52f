//go:build windows && (amd64 || 386)

package mssql

// go-mssqldb speaks shared memory (lpc:) on Windows for amd64 and 386 once
// this is imported.
import _ "github.com/microsoft/go-mssqldb/sharedmemory"

const sharedMemory = true
