package batch

import (
	"errors"
	"fmt"

	"github.com/xdm-migrate/xdm/position"
)

// The kinds of script errors. A Reader returns each problem at a place in a
// script as a *position.Error (file, line, column in bytes, byte offset)
// whose cause wraps one of these; test for them with errors.Is.
var (
	// ErrUndefinedVariable: $(NAME) names no scripting variable.
	ErrUndefinedVariable = errors.New("scripting variable not defined")
	// ErrSyntax: a GO line, an sqlcmd command or a $( ) reference is
	// malformed, or a :setvar is not allowed. The finer kinds below that
	// are syntax errors (ErrBadReference, ErrUnknownCommand, ErrUnclosed)
	// match it too.
	ErrSyntax = errors.New("syntax error")
	// ErrBadReference: "$(" is not followed by a name and ")" on the same
	// line. sqlcmd refuses such a line and drops the batch collected so far;
	// SQL Server Agent tokens such as $(ESCAPE_SQUOTE(JOBID)) need
	// Options.NoSubstitution.
	ErrBadReference = errors.New("malformed $( ) reference")
	// ErrUnknownCommand: a line starts with ':' but names no sqlcmd command.
	// sqlcmd sends such a line to the server as SQL (where it fails); the
	// Reader keeps it in the batch too, and reports it.
	ErrUnknownCommand = errors.New("unknown sqlcmd command")
	// ErrUnclosed: the script ends inside a string, a quoted identifier or
	// a block comment.
	ErrUnclosed = errors.New("script ends inside a string or comment")
	// ErrIncludeCycle: a file includes itself through :r, directly or not.
	ErrIncludeCycle = errors.New(":r include cycle")
	// ErrInclude: the file named by :r cannot be read.
	ErrInclude = errors.New(":r cannot read the file")
	// ErrEncoding: the bytes of a script are not valid in its encoding
	// (see OpenScript).
	ErrEncoding = errors.New("invalid encoding")
	// ErrRead: reading the script's input failed (an I/O error, or an
	// error of a decoding reader such as ErrEncoding). It ends the Reader:
	// Read returns it again on every call, whatever its type, also when it
	// is a *position.Error. Every other error of a Reader is a problem of
	// the script after which reading goes on.
	ErrRead = errors.New("the script cannot be read")
)

// readFailure marks an error of the input as ErrRead; its text is the
// error's own.
type readFailure struct{ err error }

func (e *readFailure) Error() string   { return e.err.Error() }
func (e *readFailure) Unwrap() []error { return []error{e.err, ErrRead} }

// problem is the cause of a *position.Error: a message that says what was
// found and what was expected, of one of the kinds above.
type problem struct {
	kind error
	msg  string
}

func (p *problem) Error() string { return p.msg }

// Unwrap returns the kind, and ErrSyntax too for the kinds that are
// syntax errors of a finer sort (ErrBadReference, ErrUnknownCommand,
// ErrUnclosed): errors.Is(err, ErrSyntax) holds for every malformed script.
func (p *problem) Unwrap() []error {
	switch p.kind {
	case ErrBadReference, ErrUnknownCommand, ErrUnclosed:
		return []error{p.kind, ErrSyntax}
	}
	return []error{p.kind}
}

// errorAt returns the *position.Error for a problem on a line of a file.
// col is 1-based in bytes, 0 for the whole line; lineOff is the byte offset
// of the line in its file.
func errorAt(file string, line int64, col int, lineOff int64, kind error, format string, a ...any) *position.Error {
	off := lineOff
	if col > 0 {
		off += int64(col - 1)
	}
	return &position.Error{File: file, Line: line, Column: col, Offset: off,
		Err: &problem{kind: kind, msg: fmt.Sprintf(format, a...)}}
}
