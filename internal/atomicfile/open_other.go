//go:build !unix

package atomicfile

// unblockOpen: Windows has no named pipes in the file system that an open
// waits for; the goroutine of Open ends with the open.
func unblockOpen(string) {}
