// Package testtool decides what a test does when a tool it needs (mono,
// PostgreSQL, sox, sqlfluff, the T-SQL oracle) is not there: in CI
// (CI=true) the test fails, because CI must never pass by skipping; on a
// developer's machine it is skipped with the reason and how to install it.
package testtool

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// InCI reports whether the tests run in CI: CI is set to true (or 1), as
// CI services and xdm's .ci/run set it.
func InCI() bool {
	v, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && v
}

// Missing stops the test because something it needs is not there: Fatal in
// CI, Skip elsewhere. what names the tool and how to get it.
func Missing(t testing.TB, what string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s (CI=true: a missing tool fails the test; scripts/setup.sh installs it)", what)
		return
	}
	t.Skipf("%s; skipping (in CI this fails)", what)
}

// LookPath returns the path of the program name, or stops the test with
// Missing and the hint (e.g. "apt-get install sox").
func LookPath(t testing.TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not on PATH ("+hint+")")
	}
	return p
}
