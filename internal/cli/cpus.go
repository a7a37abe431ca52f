package cli

import (
	"os"
	"runtime"
)

// useCPUs makes a command's --workers N also its CPU budget: the Go runtime
// then runs all of the command's goroutines (workers, reader, writer and
// garbage collector) on at most N CPUs. An administrator who asks for one
// worker on a production server so gets one CPU taken, not one and a part of
// another. 0, or more than there are, leaves every CPU in use. The returned
// function restores the previous setting (tests run many commands in one
// process): the runtime's own default, which follows the CPU limit of a
// container, when GOMAXPROCS was not set in the environment.
func useCPUs(n int) (restore func()) {
	if n <= 0 || n >= runtime.GOMAXPROCS(0) {
		return func() {}
	}
	prev := runtime.GOMAXPROCS(n)
	if os.Getenv("GOMAXPROCS") == "" {
		return runtime.SetDefaultGOMAXPROCS
	}
	return func() { runtime.GOMAXPROCS(prev) }
}
