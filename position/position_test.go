package position_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/xdm-migrate/xdm/position"
)

var errBad = errors.New("bad value")

func TestErrorText(t *testing.T) {
	cases := []struct {
		err  position.Error
		want string
	}{
		{position.Error{File: "j.txt", Line: 3, Column: 7, Err: errBad}, "j.txt:3:7: bad value"},
		{position.Error{File: "j.txt", Line: 3, Err: errBad}, "j.txt:3: bad value"},
		{position.Error{File: "j.txt", Err: errBad}, "j.txt: bad value"},
		{position.Error{Line: 3, Column: 7, Err: errBad}, "line 3, column 7: bad value"},
		{position.Error{Line: 3, Err: errBad}, "line 3: bad value"},
		{position.Error{Err: errBad}, "bad value"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.err, got, c.want)
		}
	}
}

func TestUnwrapAndAs(t *testing.T) {
	err := fmt.Errorf("fixing: %w", &position.Error{File: "a", Line: 1, Err: fmt.Errorf("%w: found x", errBad)})
	if !errors.Is(err, errBad) {
		t.Fatal("errors.Is does not reach the cause")
	}
	var pe *position.Error
	if !errors.As(err, &pe) || pe.File != "a" {
		t.Fatalf("errors.As: %v", pe)
	}
}

func TestShift(t *testing.T) {
	inChunk := &position.Error{Line: 2, Column: 4, Offset: 10, Err: errBad}
	got := position.Shift(fmt.Errorf("chunk: %w", inChunk), "big.txt", 100, 5000)
	var pe *position.Error
	if !errors.As(got, &pe) {
		t.Fatalf("no *Error in %v", got)
	}
	if pe.File != "big.txt" || pe.Line != 101 || pe.Column != 4 || pe.Offset != 5010 {
		t.Fatalf("shifted to %+v", pe)
	}
	if inChunk.Line != 2 {
		t.Fatal("Shift changed its argument")
	}
	if position.Shift(io.EOF, "f", 9, 9) != io.EOF {
		t.Fatal("an error without a place must pass unchanged")
	}
	unknown := position.Shift(&position.Error{Offset: -1, Err: errBad}, "", 9, 9).(*position.Error)
	if unknown.Line != 0 || unknown.Offset != -1 {
		t.Fatalf("unknown parts must stay unknown: %+v", unknown)
	}
}

func TestIn(t *testing.T) {
	named := position.In("dump.sql", &position.Error{Line: 4, Err: errBad})
	if named.Error() != "dump.sql:4: bad value" {
		t.Fatal(named)
	}
	keep := position.In("other", named)
	if keep.Error() != "dump.sql:4: bad value" {
		t.Fatal("In must not rename a named place:", keep)
	}
	if position.In("x", nil) != nil {
		t.Fatal("In(nil) must be nil")
	}
}

func TestMarshalJSON(t *testing.T) {
	b, err := json.Marshal(&position.Error{File: "a.reg", Line: 2, Column: 1, Offset: 0, Err: errBad})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"file":"a.reg","line":2,"column":1,"offset":0,"message":"bad value"}` {
		t.Fatal(string(b))
	}
	b, _ = json.Marshal(&position.Error{Offset: -1, Err: errBad})
	if string(b) != `{"message":"bad value"}` {
		t.Fatal(string(b))
	}
}

func ExampleError() {
	err := fmt.Errorf("reading: %w", &position.Error{
		File: "journal.txt", Line: 12, Column: 5, Offset: 301,
		Err: errors.New("found '?', expected '='"),
	})
	var pe *position.Error
	if errors.As(err, &pe) {
		fmt.Println(pe.Place())
	}
	fmt.Println(err)
	// Output:
	// journal.txt:12:5
	// reading: journal.txt:12:5: found '?', expected '='
}

// "<", ">" and "&" stay as they are in a message, as in all of xdm's JSON.
func TestMarshalJSONKeepsHTMLCharacters(t *testing.T) {
	b, err := (&position.Error{Line: 3, Offset: -1, Err: errors.New("</a> expected to close <a> & more")}).MarshalJSON()
	if err != nil || string(b) != `{"line":3,"message":"</a> expected to close <a> & more"}` {
		t.Fatalf("%s %v", b, err)
	}
}
