package xphone

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/xdm-migrate/xdm/position"
)

// readErrors are the errors an input fails with: a plain one, and a
// *position.Error (a decoder's, or a pipe closed with another reader's
// error), which must not pass for a malformed row.
func readErrors() map[string]error {
	return map[string]error{
		"position error": &position.Error{File: "other.csv", Line: 9, Column: 2, Err: errors.New("stopped elsewhere")},
		"plain error":    errors.New("disk gone"),
	}
}

// TestConvertRowsStopsAtReadError: a read error of the rows ends the
// conversion and is returned, not counted as a skipped row, also when it is
// a *position.Error. With a reader that streams its input (csv.Reader
// repeats the input's error on every Read), taking it for a malformed row
// read it again for ever.
func TestConvertRowsStopsAtReadError(t *testing.T) {
	header := strings.SplitN(sampleUsers, "\r\n", 2)[0]
	row := "u1001;CORP\\jmueller;Jürgen;Müller;;;;;;de\r\nu1002;bad;\"quote\"x;;;;;;;de\r\n"
	for name, readErr := range readErrors() {
		t.Run(name, func(t *testing.T) {
			cr := csv.NewReader(io.MultiReader(strings.NewReader(row), iotest.ErrReader(readErr)))
			cr.Comma, cr.FieldsPerRecord = ';', -1
			ur := &UsersReader{Header: strings.Split(header, ";"), Separator: ';', cr: cr}
			conv, err := newUserConverter(ur.Header, DefaultMapping(), PhoneFormat{}, ';')
			if err != nil {
				t.Fatal(err)
			}
			out, err := newUsersWriter(io.Discard, UsersOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var rep UsersReport
			err = convertRows(ctx, ur, conv, out, UsersOptions{}, &rep)
			if !errors.Is(err, readErr) {
				t.Fatalf("convertRows = %v after %d rows, want the reader's %v", err, rep.Rows, readErr)
			}
			// The malformed row before the error is skipped, as before.
			if len(rep.Users) != 1 || len(rep.Skipped) != 1 || rep.Skipped[0].Line != 2 {
				t.Fatalf("users %d, skipped %+v", len(rep.Users), rep.Skipped)
			}
		})
	}
}

// TestConvertUsersStopsAtReadError: ConvertUsers returns the input's error
// (it reads the whole users file first, so the rows never see it).
func TestConvertUsersStopsAtReadError(t *testing.T) {
	for name, readErr := range readErrors() {
		t.Run(name, func(t *testing.T) {
			in := io.MultiReader(strings.NewReader(sampleUsers[:200]), iotest.ErrReader(readErr))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var out bytes.Buffer
			rep, err := ConvertUsers(ctx, in, &out, DefaultMapping(), UsersOptions{})
			if !errors.Is(err, readErr) || rep.Rows != 0 {
				t.Fatalf("ConvertUsers = %v after %d rows, want the reader's %v", err, rep.Rows, readErr)
			}
		})
	}
}
