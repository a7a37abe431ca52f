// Package position defines the one error type every xdm package returns for
// a problem at a place in its input: a journal line that does not fit the
// format, a registry value with an odd escape, a script batch that the target
// will refuse. Callers read the place from its fields or print it as
// "file:line:col: cause"; what went wrong is the wrapped cause, which each
// package builds on its own sentinel errors so that errors.Is can tell the
// kinds apart.
package position

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Error is a problem at a place in an input.
type Error struct {
	// File names the input as the caller named it (a path, "member.reg"
	// inside an archive, "<stdin>"); empty when the caller gave no name.
	File string
	// Line is 1-based; 0 means the place is the whole input.
	Line int64
	// Column is 1-based; 0 means the whole line. The producing package says
	// whether it counts bytes or characters.
	Column int
	// Offset is the byte offset of the place from the start of the input;
	// -1 when unknown.
	Offset int64
	// Err is what is wrong and, where it helps, what was expected there.
	Err error
}

// Error returns "file:line:col: cause", leaving out the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Place())
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("error")
	}
	return b.String()
}

// Place returns "file:line:col" with the unknown parts left out, or
// "line L, column C" when there is no file name.
func (e *Error) Place() string {
	if e.File == "" {
		switch {
		case e.Line <= 0:
			return ""
		case e.Column <= 0:
			return "line " + strconv.FormatInt(e.Line, 10)
		default:
			return "line " + strconv.FormatInt(e.Line, 10) + ", column " + strconv.Itoa(e.Column)
		}
	}
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(e.Line, 10))
		if e.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Column))
		}
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// MarshalJSON writes {"file","line","column","offset","message"}, the form
// xdm's --json reports use for problems.
func (e *Error) MarshalJSON() ([]byte, error) {
	msg := ""
	if e.Err != nil {
		msg = e.Err.Error()
	}
	// "<", ">" and "&" stay as they are, as in the rest of xdm's JSON: an
	// XML error quotes tags.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		File    string `json:"file,omitempty"`
		Line    int64  `json:"line,omitempty"`
		Column  int    `json:"column,omitempty"`
		Offset  *int64 `json:"offset,omitempty"`
		Message string `json:"message"`
	}{e.File, e.Line, e.Column, offsetPtr(e.Offset), msg})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

func offsetPtr(off int64) *int64 {
	if off < 0 {
		return nil
	}
	return &off
}

// Shift returns the *Error inside err moved from a piece of an input
// to the whole: its line counted from firstLine (the 1-based line the piece
// starts on) and its offset from offset, the piece's byte offset. An empty
// File is set to file. Text that wraps the *Error is dropped: the place says
// it. err is returned unchanged when it holds no *Error.
func Shift(err error, file string, firstLine, offset int64) error {
	var pe *Error
	if !errors.As(err, &pe) {
		return err
	}
	moved := *pe
	if moved.Line > 0 {
		moved.Line += firstLine - 1
	}
	if moved.Offset >= 0 {
		moved.Offset += offset
	}
	if moved.File == "" {
		moved.File = file
	}
	return &moved
}

// In returns err with File set to file when err is a *Error without one, so
// that a reader that knows no file name (an io.Reader) and the caller that
// does together give a full place.
func In(file string, err error) error {
	var pe *Error
	if err == nil || !errors.As(err, &pe) || pe.File != "" {
		return err
	}
	named := *pe
	named.File = file
	return &named
}
