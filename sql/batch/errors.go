package batch

import (
	"errors"
	"fmt"
)

// Errors a Reader wraps in an *Error; test for them with errors.Is.
var (
	// ErrUndefinedVariable: $(NAME) names no scripting variable.
	ErrUndefinedVariable = errors.New("scripting variable not defined")
	// ErrSyntax: a GO line or an sqlcmd command is malformed.
	ErrSyntax = errors.New("syntax error")
	// ErrIncludeCycle: a file includes itself through :r, directly or not.
	ErrIncludeCycle = errors.New(":r include cycle")
	// ErrInclude: the file named by :r cannot be read.
	ErrInclude = errors.New(":r cannot read the file")
)

// Error is a problem at a place in a script. Line and Column are 1-based;
// Column counts bytes and is 0 when the whole line is meant.
type Error struct {
	File   string
	Line   int64
	Column int
	Msg    string // what was found and what was expected
	Err    error  // one of the Err* values above, or an I/O error
}

func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "<input>"
	}
	loc := fmt.Sprintf("%s:%d", file, e.Line)
	if e.Column > 0 {
		loc += fmt.Sprintf(":%d", e.Column)
	}
	if e.Msg == "" {
		return loc + ": " + e.Err.Error()
	}
	return loc + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }
