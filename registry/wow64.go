package registry

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// DefaultVendor is the key Wow64 moves when no vendor is given: XPR's.
const DefaultVendor = "PP-COM"

// Wow64Options control Wow64. The zero value moves PP-COM.
type Wow64Options struct {
	// Name names the input in errors: a path, "member.reg" inside an
	// archive, "<stdin>".
	Name string
	// Vendors are the keys below HKEY_LOCAL_MACHINE\SOFTWARE to move; empty
	// means PP-COM.
	Vendors []string
	// Progress, if set, is called with the bytes read so far, every MiB and
	// at the end.
	Progress func(read int64)
	// OnMove, if set, is called for every key line moved.
	OnMove func(Move)
}

// Move is a key line that Wow64 rewrote.
type Move struct {
	Line int64  `json:"line"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Wow64Report says what Wow64 did.
type Wow64Report struct {
	Encoding reg.Encoding `json:"encoding"`
	Version  reg.Version  `json:"version"`
	// Keys counts the key lines read.
	Keys int `json:"keys"`
	// Moved counts the key lines moved to Wow6432Node.
	Moved int `json:"moved"`
	// AlreadyMoved counts the key lines of the vendors that were below
	// Wow6432Node already (and stay as they are).
	AlreadyMoved int `json:"already_moved"`
	// Read and Written are the sizes of the input and the output in bytes.
	Read    int64 `json:"read"`
	Written int64 `json:"written"`
}

// Wow64 copies the .reg file r to w and moves every key below
// HKEY_LOCAL_MACHINE\SOFTWARE\<vendor> (key lines and key deletions) to
// HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\<vendor>, the view a 32-bit
// program such as XPR reads on 64-bit Windows: the upgrade manual's "replace
// all registry paths named HKLM\Software\PP-COM with
// HKLM\Software\Wow6432Node\PP-COM". Keys below Wow6432Node already, and
// every other byte, stay as they are: the text "Wow6432Node\" is inserted in
// the key line, in the file's encoding; values are not touched. Names
// compare without regard to case, as Windows compares them.
//
// The whole input is checked against the format; the first record that does
// not fit stops the copy with its *position.Error, and what was written
// before must then be discarded. To only learn what would move (a check of a
// backup), pass io.Discard as w.
func Wow64(ctx context.Context, r io.Reader, w io.Writer, opts Wow64Options) (Wow64Report, error) {
	vendors := opts.Vendors
	if len(vendors) == 0 {
		vendors = []string{DefaultVendor}
	}
	for _, v := range vendors {
		if v == "" || strings.ContainsAny(v, `\[]`) {
			return Wow64Report{}, fmt.Errorf("%w: vendor %q is no single key name", ErrKeyPath, v)
		}
		if strings.EqualFold(v, "Wow6432Node") {
			return Wow64Report{}, fmt.Errorf("%w: vendor %q is the 32-bit view itself, not a key to move into it", ErrKeyPath, v)
		}
	}
	var rep Wow64Report
	s := stream{name: opts.Name, noData: true, progress: opts.Progress}
	in, err := s.run(ctx, r, w, func(rec *reg.Record, out *reg.Writer) error {
		if rec.Kind != reg.KindKey {
			return out.WriteRecord(rec)
		}
		rep.Keys++
		to, state := movedPath(rec.Key, vendors)
		switch state {
		case alreadyMoved:
			rep.AlreadyMoved++
		case moves:
			moved, err := rec.WithKey(to)
			if err != nil {
				return err
			}
			rep.Moved++
			if opts.OnMove != nil {
				opts.OnMove(Move{Line: rec.Line, From: rec.Key, To: to})
			}
			return out.WriteRecord(moved)
		}
		return out.WriteRecord(rec)
	})
	rep.Encoding, rep.Version, rep.Read, rep.Written = in.encoding, in.version, in.read, in.written
	return rep, err
}

type moveState int

const (
	stays moveState = iota
	moves
	alreadyMoved
)

// movedPath returns the path of key in the 32-bit view when it is below
// HKEY_LOCAL_MACHINE\SOFTWARE\<vendor>: "Wow6432Node\" inserted before the
// vendor's name, the rest as written.
func movedPath(key string, vendors []string) (string, moveState) {
	ps := parts(key)
	if len(ps) < 3 || !strings.EqualFold(ps[0].text, "HKEY_LOCAL_MACHINE") || !strings.EqualFold(ps[1].text, "SOFTWARE") {
		return key, stays
	}
	for _, v := range vendors {
		switch {
		case strings.EqualFold(ps[2].text, v):
			return key[:ps[2].start] + `Wow6432Node\` + key[ps[2].start:], moves
		case len(ps) >= 4 && strings.EqualFold(ps[2].text, "Wow6432Node") && strings.EqualFold(ps[3].text, v):
			return key, alreadyMoved
		}
	}
	return key, stays
}
