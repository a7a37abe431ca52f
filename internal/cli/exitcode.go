package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/position"
)

// Exit codes that scripts can rely on. They are documented in docs/exit-codes.md;
// every command maps its outcome to one of these and nothing else.
const (
	ExitOK = 0
	// ExitDifferent means the command worked and found something to report:
	// records that need a fix (--check), masks that differ, a failed SQL batch
	// with -b (as sqlcmd does).
	ExitDifferent = 1
	// ExitUsage is a wrong command line: unknown flag, missing argument, an
	// output file (or backup) that exists without --force.
	ExitUsage = 2
	// ExitInvalid means the input does not fit its format; the error names file:line:col.
	ExitInvalid = 3
	// ExitFailure is anything else that stopped the run: I/O, connection, database errors.
	ExitFailure = 4
	// ExitInterrupted means the run was cancelled (Ctrl-C, SIGTERM); nothing was replaced.
	ExitInterrupted = 130
)

// ExitError carries the exit code a command wants alongside its error. A nil
// Err with a non-zero Code exits silently (the command has already reported).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// exitWith wraps err so that the command exits with code.
func exitWith(code int, err error) error {
	return &ExitError{Code: code, Err: err}
}

// usageError marks a command-line mistake.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// commandLineError is a usage error about the words of the command line: a
// flag or an argument that cobra could not take, a command that does not
// exist. Its report adds the command's usage line and a pointer to --help.
type commandLineError struct{ usageError }

func (e commandLineError) Unwrap() error { return e.usageError }

// exitCode maps the error a command returned to the process exit code.
func exitCode(err error) int {
	var ee *ExitError
	var ue usageError
	var pe *position.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled):
		// Whatever a command made of it, a cancelled run is an interrupted one.
		return ExitInterrupted
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &ue), errors.Is(err, atomicfile.ErrExists):
		// An output or backup that exists is refused until the user says
		// --force: a matter of the command line, like a wrong flag.
		return ExitUsage
	case errors.Is(err, atomicfile.ErrIsDir), errors.Is(err, atomicfile.ErrNotRegular),
		errors.Is(err, atomicfile.ErrHoldsInput), errors.Is(err, atomicfile.ErrNoInput):
		// An output that names a folder, a pipe rewritten in place, a
		// folder that holds the input: the command line names the wrong
		// place.
		return ExitUsage
	case errors.As(err, &pe):
		// A problem at a place in an input: it does not fit its format. A
		// command adds what the user can do about it, not the exit code.
		return ExitInvalid
	default:
		return ExitFailure
	}
}
