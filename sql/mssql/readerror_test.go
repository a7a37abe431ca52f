package mssql

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/xdm-migrate/xdm/position"
)

// failingScript opens every script as a few good lines and then a read
// error.
func failingScript(readErr error) func(string) (io.ReadCloser, error) {
	return func(string) (io.ReadCloser, error) {
		return io.NopCloser(io.MultiReader(strings.NewReader("SELECT 1\nGO\nSELECT 2\n"), iotest.ErrReader(readErr))), nil
	}
}

// TestReadErrorEndsTheWalk: an error of the script's input ends Plan and
// Run's check and is returned once, not handed to the script-error callback
// as a problem of the script, also when the error is itself a
// *position.Error (a decoder's, or a pipe closed with another reader's
// error). Plan used to hand it to errFn for ever (errFn returning nil goes
// on); check reported it 20 times.
func TestReadErrorEndsTheWalk(t *testing.T) {
	other := &position.Error{File: "other.sql", Line: 7, Column: 3, Err: errors.New("stopped elsewhere")}
	for name, readErr := range map[string]error{"position error": other, "plain error": errors.New("disk gone")} {
		t.Run(name+"/Plan", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			calls := 0
			err := Plan(ctx, RunOptions{Files: []string{"a.sql"}, Open: failingScript(readErr)},
				func(PlannedBatch) error { return nil },
				func(error) error { calls++; return nil })
			if !errors.Is(err, readErr) || calls != 0 {
				t.Fatalf("Plan = %v after %d script errors, want the reader's %v and none", err, calls, readErr)
			}
		})
		t.Run(name+"/Run", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := Run(ctx, RunOptions{Files: []string{"a.sql"}, Open: failingScript(readErr),
				Connect: func(context.Context) (Executor, error) {
					return nil, errors.New("connected to run an unreadable script")
				}})
			if !errors.Is(err, readErr) || strings.Count(err.Error(), readErr.Error()) != 1 || strings.Contains(err.Error(), "connected") {
				t.Fatalf("Run = %v, want the reader's %v once, before connecting", err, readErr)
			}
		})
	}
}
