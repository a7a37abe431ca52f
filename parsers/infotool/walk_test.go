package infotool_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/internal/testgen/infotoolgen"
	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
)

func TestWalkKeepsOrder(t *testing.T) {
	var buf bytes.Buffer
	if _, err := infotoolgen.WriteJournal(&buf, infotoolgen.Options{Records: 300, MixedLineEnds: true}); err != nil {
		t.Fatal(err)
	}
	var want []*infotool.Record
	rd := infotool.NewReader(bytes.NewReader(buf.Bytes()), "j")
	for {
		rec, err := rd.Read()
		if err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		want = append(want, rec)
	}
	r := infotool.NewReader(bytes.NewReader(buf.Bytes()), "j")
	var got []*infotool.Record
	var last int64
	err := r.Walk(context.Background(), infotool.WalkOptions{Workers: 4, Progress: func(off int64) {
		if off < last {
			t.Errorf("progress went back from %d to %d", last, off)
		}
		last = off
	}}, func(rec *infotool.Record) error {
		got = append(got, rec)
		return nil
	})
	if err != nil || len(got) != len(want) {
		t.Fatalf("%v: %d records, want %d", err, len(got), len(want))
	}
	for i := range got {
		if got[i].Line != want[i].Line || !bytes.Equal(got[i].Raw, want[i].Raw) {
			t.Fatalf("record %d: line %d, want %d", i, got[i].Line, want[i].Line)
		}
	}
	if last != int64(buf.Len()) {
		t.Errorf("progress ended at %d of %d", last, buf.Len())
	}
}

func TestWalkErrors(t *testing.T) {
	input := "junk\n[A]\nX=1\n[B]\nY=\\q\n[C]\nZ=1\n"
	var lines []int
	var types []string
	err := infotool.NewReader(strings.NewReader(input), "x").Walk(context.Background(), infotool.WalkOptions{
		OnError: func(pe *position.Error) error { lines = append(lines, int(pe.Line)); return nil },
	}, func(rec *infotool.Record) error { types = append(types, rec.Type); return nil })
	if err != nil || len(lines) != 2 || lines[0] != 1 || lines[1] != 5 || strings.Join(types, "") != "AC" {
		t.Errorf("err %v, error lines %v, records %v", err, lines, types)
	}

	// Without OnError the first ParseError ends the walk.
	err = infotool.NewReader(strings.NewReader(input[5:]), "x").Walk(context.Background(), infotool.WalkOptions{}, func(*infotool.Record) error { return nil })
	var pe *position.Error
	if !errors.As(err, &pe) || pe.Line != 4 {
		t.Errorf("got %v, want the error at line 4", err)
	}

	// An error from fn ends the walk and is returned.
	stop := errors.New("stop")
	n := 0
	err = infotool.NewReader(strings.NewReader(strings.Repeat("[A]\n", 1000)), "x").Walk(context.Background(), infotool.WalkOptions{Workers: 3},
		func(*infotool.Record) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("got %v after %d records", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = infotool.NewReader(strings.NewReader(strings.Repeat("[A]\n", 1000)), "x").Walk(ctx, infotool.WalkOptions{}, func(*infotool.Record) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled walk: %v", err)
	}
}

// TestWalkErrorsAcrossBatches checks that records and errors of a file of
// several batches come out in file order, as Read gives them, whatever the
// number of workers.
func TestWalkErrorsAcrossBatches(t *testing.T) {
	var gen bytes.Buffer
	if _, err := infotoolgen.WriteJournal(&gen, infotoolgen.Options{Records: 1500}); err != nil {
		t.Fatal(err)
	}
	// A bad record (an invalid escape) after every 97th header.
	var in bytes.Buffer
	for i, part := range bytes.SplitAfter(gen.Bytes(), []byte("\r\n[JOURNAL]")) {
		in.Write(part)
		if i%97 == 96 {
			in.WriteString("\r\nX=\\q\r\n[BAD]")
		}
	}
	var want []string
	rd := infotool.NewReader(bytes.NewReader(in.Bytes()), "j")
	for {
		rec, err := rd.Read()
		var pe *position.Error
		switch {
		case err == io.EOF:
		case errors.As(err, &pe):
			want = append(want, fmt.Sprintf("error at %d", pe.Line))
			continue
		case err != nil:
			t.Fatal(err)
		default:
			want = append(want, fmt.Sprintf("%s at %d", rec.Type, rec.Line))
			continue
		}
		break
	}
	if errs := strings.Count(strings.Join(want, "\n"), "error at"); errs < 10 || len(want) < 1500 || in.Len() < 3*256<<10 {
		t.Fatalf("the input is too small for the test: %d records and %d errors, %d bytes", len(want)-errs, errs, in.Len())
	}
	for _, workers := range []int{1, 2, 4} {
		var got []string
		err := infotool.NewReader(bytes.NewReader(in.Bytes()), "j").Walk(context.Background(), infotool.WalkOptions{
			Workers: workers,
			OnError: func(pe *position.Error) error {
				got = append(got, fmt.Sprintf("error at %d", pe.Line))
				return nil
			},
		}, func(rec *infotool.Record) error {
			got = append(got, fmt.Sprintf("%s at %d", rec.Type, rec.Line))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("workers=%d: %d records and errors, want %d, or in another order", workers, len(got), len(want))
		}
	}
}

// TestWalkStopsWhenCancelled: after the context is cancelled, fn is called
// for no more records, even inside a batch.
func TestWalkStopsWhenCancelled(t *testing.T) {
	var buf bytes.Buffer
	if _, err := infotoolgen.WriteJournal(&buf, infotoolgen.Options{Records: 3000}); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 4} {
		ctx, cancel := context.WithCancel(context.Background())
		calls, after := 0, 0
		err := infotool.NewReader(bytes.NewReader(buf.Bytes()), "j").Walk(ctx, infotool.WalkOptions{Workers: workers},
			func(*infotool.Record) error {
				calls++
				if ctx.Err() != nil {
					after++
				}
				if calls == 10 {
					cancel()
				}
				return nil
			})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("workers=%d: Walk = %v, want context.Canceled", workers, err)
		}
		if after > 0 {
			t.Errorf("workers=%d: fn called for %d records after the cancel", workers, after)
		}
	}
}

// TestWalkSkipFields: a walk that skips the fields sees the same records
// (type, key, place, bytes) and the same errors as a full walk.
func TestWalkSkipFields(t *testing.T) {
	var gen bytes.Buffer
	if _, err := infotoolgen.WriteFullExport(&gen, infotoolgen.Options{Records: 800, Encoding: infotool.UTF16LE}); err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{"generated UTF-16LE full export": gen.Bytes(),
		"errors": []byte("junk\n[A:k1]\nX=1\n[B]\nY=\\q\n[C:]\nZ=0x123\n[D:Schlüssel]\nW=1\n")}
	for name, in := range inputs {
		walk := func(skip bool) []string {
			var got []string
			err := infotool.NewReader(bytes.NewReader(in), "j").Walk(context.Background(), infotool.WalkOptions{
				Workers: 2, SkipFields: skip,
				OnError: func(pe *position.Error) error {
					got = append(got, fmt.Sprintf("error %v at offset %d", pe, pe.Offset))
					return nil
				},
			}, func(rec *infotool.Record) error {
				if skip && rec.Fields != nil {
					t.Errorf("%s: SkipFields gave fields", name)
				}
				got = append(got, fmt.Sprintf("%s:%q:%v line %d offset %d, %d bytes", rec.Type, rec.Key, rec.HasKey, rec.Line, rec.Offset, len(rec.Raw)))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		full, skipped := walk(false), walk(true)
		if len(full) < 4 {
			t.Fatalf("%s: only %d records", name, len(full))
		}
		if strings.Join(full, "\n") != strings.Join(skipped, "\n") {
			t.Errorf("%s: SkipFields differs:\n%s\nfull walk:\n%s", name, strings.Join(skipped, "\n"), strings.Join(full, "\n"))
		}
	}
}

// TestWalkStopsAtReadError: an error of the underlying reader ends the walk
// and is returned, not handed to OnError, also when it is a
// *position.Error (a pipe closed with another reader's error). It used to
// be handed to OnError again and again until the context ended.
func TestWalkStopsAtReadError(t *testing.T) {
	other := &position.Error{File: "fullexp.exp", Line: 3, Column: 1, Err: errors.New("stopped elsewhere")}
	for name, readErr := range map[string]error{"position error": other, "plain error": errors.New("disk gone")} {
		t.Run(name, func(t *testing.T) {
			in := io.MultiReader(strings.NewReader("[JOURNAL]\r\nMSGID=1\r\n\r\n"), errReader{readErr})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			problems := 0
			err := infotool.NewReader(in, "j").Walk(ctx, infotool.WalkOptions{SkipFields: true,
				OnError: func(*position.Error) error { problems++; return nil }},
				func(*infotool.Record) error { return nil })
			if !errors.Is(err, readErr) || problems != 0 {
				t.Fatalf("Walk = %v after %d OnError calls, want the reader's %v and none", err, problems, readErr)
			}
		})
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
