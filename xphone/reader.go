package xphone

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
)

// Row is one data row of a V4 users.csv.
type Row struct {
	Line   int      // physical line the row starts on (1 is the header)
	Fields []string // as many as the header has, or the row is an error
}

// UsersReader reads a V4 users.csv row by row, like csv.Reader: the
// encoding is detected from the BOM (see ConvertUsers), the separator from
// the header line, and values follow encoding/csv's quoting rules.
type UsersReader struct {
	Header    []string
	Encoding  string // utf-8, utf-8 (no BOM), utf-16le, utf-16be or windows-1252
	Separator rune   // ';', ',' or '\t'

	cr *csv.Reader
}

// NewUsersReader reads all of r (users files are small), decodes it and
// reads the header line. Its errors are *position.Error wrapping
// ErrInvalid, or I/O errors.
func NewUsersReader(r io.Reader) (*UsersReader, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text, enc, err := decodeInput(raw)
	if err != nil {
		return nil, &position.Error{Line: 1, Offset: -1, Err: fmt.Errorf("%w: decoding %s: %v", ErrInvalid, enc, err)}
	}
	ur := &UsersReader{Encoding: enc, Separator: detectSeparator(text)}
	ur.cr = csv.NewReader(bytes.NewReader(text))
	ur.cr.Comma = ur.Separator
	ur.cr.FieldsPerRecord = -1
	ur.Header, err = ur.cr.Read()
	if err == io.EOF {
		return nil, &position.Error{Line: 1, Offset: -1, Err: fmt.Errorf("%w: empty file, a header line was expected", ErrInvalid)}
	}
	if err != nil {
		return nil, csvError(err)
	}
	return ur, nil
}

// ErrRow is matched (errors.Is) by Read's error for a malformed row;
// reading can go on after it. Any other error of Read is final.
var ErrRow = errors.New("malformed row")

// rowProblem is the cause of Read's error for a malformed row: its text is
// the message, and it matches ErrRow.
type rowProblem struct{ msg error }

func (p *rowProblem) Error() string   { return p.msg.Error() }
func (p *rowProblem) Unwrap() []error { return []error{p.msg, ErrRow} }

// Read returns the next row, or io.EOF after the last. A malformed row (bad
// quoting, a field count that differs from the header's) is returned as a
// *position.Error with the row's first line, matching ErrRow; reading can
// go on after it. Any other error (the input's) is final, also when it is a
// *position.Error.
func (ur *UsersReader) Read() (Row, error) {
	rec, err := ur.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			msg := fmt.Errorf("column %d: %w", pe.Column, pe.Err)
			if pe.Line != pe.StartLine {
				msg = fmt.Errorf("line %d, column %d: %w", pe.Line, pe.Column, pe.Err)
			}
			return Row{Line: pe.StartLine}, &position.Error{Line: int64(pe.StartLine), Offset: -1, Err: &rowProblem{msg}}
		}
		return Row{}, err
	}
	line, _ := ur.cr.FieldPos(0)
	if len(rec) != len(ur.Header) {
		return Row{Line: line, Fields: rec}, &position.Error{Line: int64(line), Offset: -1,
			Err: &rowProblem{fmt.Errorf("%s, the header has %d", plural.Count(len(rec), "field"), len(ur.Header))}}
	}
	return Row{Line: line, Fields: rec}, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &position.Error{Line: int64(pe.Line), Column: pe.Column, Offset: -1, Err: fmt.Errorf("%w: %v", ErrInvalid, pe.Err)}
	}
	return err
}
