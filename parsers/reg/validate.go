package reg

import (
	"context"
	"errors"
	"io"

	"github.com/xdm-migrate/xdm/position"
)

// MaxProblems is how many problems a Summary lists; it counts them all.
const MaxProblems = 100

// Summary is what Validate found in a .reg file.
type Summary struct {
	Encoding Encoding `json:"encoding"`
	// Version is the version the header announces; 0 when the header is
	// invalid.
	Version Version `json:"version"`
	// Keys counts the key lines, Deleted those that delete a key ([-KEY]).
	Keys        int `json:"keys"`
	DeletedKeys int `json:"deleted_keys"`
	// Values counts the value lines, DeletedValues those that delete one.
	Values        int `json:"values"`
	DeletedValues int `json:"deleted_values"`
	// Bytes is the size of the file.
	Bytes int64 `json:"bytes"`
	// Problems are the records that do not fit the format, in file order:
	// the first MaxProblems of ProblemCount.
	Problems     []*position.Error `json:"problems,omitempty"`
	ProblemCount int               `json:"problem_count"`
}

// Valid reports whether the file has no problem.
func (s *Summary) Valid() bool { return s.ProblemCount == 0 }

// Validate reads a whole .reg file and checks every record against the
// format, as regedit would import it. Problems in the file are listed in the
// Summary (each a *position.Error at name:line:column); the error is for
// what stopped the reading: the reader's error, a file in an encoding
// regedit refuses (also listed as a problem), or ctx's.
func Validate(ctx context.Context, r io.Reader, name string) (s Summary, err error) {
	rd := NewReader(r, name)
	rd.NoData = true
	defer func() { s.Encoding, s.Version, s.Bytes = rd.Encoding(), rd.Version(), rd.InputOffset() }()
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return s, err
			}
		}
		rec, err := rd.Read()
		if err == io.EOF {
			return s, nil
		}
		var pe *position.Error
		// A read error of the input is final whatever its type (a pipe may
		// be closed with another reader's *position.Error): only the
		// reader's own problems are problems of the file.
		if errors.As(err, &pe) && rd.in.Err() == nil {
			s.ProblemCount++
			if len(s.Problems) < MaxProblems {
				s.Problems = append(s.Problems, pe)
			}
			if errors.Is(err, ErrEncoding) && rd.err != nil {
				return s, err
			}
			continue
		}
		if err != nil {
			return s, err
		}
		switch {
		case rec.Kind == KindKey:
			s.Keys++
			if rec.Delete {
				s.DeletedKeys++
			}
		case rec.Kind == KindValue:
			s.Values++
			if rec.Value.Form == FormDelete {
				s.DeletedValues++
			}
		}
	}
}
