package reg_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/parsers/reg"
	"github.com/xdm-migrate/xdm/position"
)

// TestValidateStopsAtReadError: an error of the underlying reader ends
// Validate and is returned, not counted as a problem of the file, also when
// that error is itself a *position.Error (a pipe closed with another
// reader's error, as xdm backup verify reads a member twice). It used to be
// taken for a problem of the file and read again forever.
func TestValidateStopsAtReadError(t *testing.T) {
	other := &position.Error{File: "SAT01.reg", Line: 4, Column: 11, Err: reg.ErrSyntax}
	for name, readErr := range map[string]error{"position error": other, "plain error": errors.New("disk gone")} {
		t.Run(name, func(t *testing.T) {
			in := io.MultiReader(strings.NewReader("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\x]\r\n\"a\"=\"b\"\r\n"), errReader{readErr})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := reg.Validate(ctx, in, "x.reg")
			if !errors.Is(err, readErr) {
				t.Fatalf("err %v, want the reader's %v", err, readErr)
			}
			if s.ProblemCount != 0 {
				t.Fatalf("the reader's error counted as %d problems of the file: %v", s.ProblemCount, s.Problems[0])
			}
		})
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
