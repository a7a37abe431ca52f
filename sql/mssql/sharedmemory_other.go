//go:build windows && !(amd64 || 386)

package mssql

const sharedMemory = false
