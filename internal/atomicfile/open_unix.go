//go:build unix

package atomicfile

import "golang.org/x/sys/unix"

// unblockOpen opens the named pipe name for writing without waiting, which
// completes an open for reading that waits for a writer; the pipe is closed
// at once, so the reader sees the end of its input.
func unblockOpen(name string) {
	fd, err := unix.Open(name, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err == nil {
		unix.Close(fd)
	}
}
