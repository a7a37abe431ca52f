package journal

import (
	"bytes"
	"errors"

	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
)

// parseRecords parses every record of a chunk (cut on record boundaries) with
// the grammar of parsers/infotool. Lines the fast path already reported
// (lenient mode) are not reported again. It returns the first error in
// strict mode; in lenient mode failing records become issues.
func (f *fixer) parseRecords(data []byte, st state, cs *chunkStats) *chunkError {
	w, enc := 1, f.enc
	if enc == UTF16LE {
		w = 2
	}
	if st.last {
		data = trimEOFMark(data, w)
	}
	reported := map[int64]bool{}
	for _, is := range cs.issues {
		reported[is.Line] = true
	}
	starts := recordStarts(data, w)
	line := int64(1)
	if len(starts) > 0 {
		line += countUnits(data[:starts[0]], w)
	}
	for k, start := range starts {
		end := len(data)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		raw := data[start:end]
		lines := countUnits(raw, w)
		err := infotool.ValidateRecord(raw, enc, "", int(line))
		if err == nil {
			cs.validated++
			line += lines
			continue
		}
		var pe *position.Error
		if !errors.As(err, &pe) {
			pe = &position.Error{Line: line, Column: 1, Err: err}
		}
		// The grammar's offset counts from the record's first byte.
		cerr := &chunkError{line: pe.Line, column: pe.Column, unit: (start + int(max(pe.Offset, 0))) / w,
			msg: "infotool grammar: " + pe.Err.Error(), also: pe.Err}
		if !f.lenient {
			return cerr
		}
		if !reportedIn(reported, line, line+lines) {
			cs.skipped++
			if len(cs.issues) < maxIssues {
				cs.issues = append(cs.issues, cerr.position(int64(w)))
			}
		}
		line += lines
	}
	return nil
}

func reportedIn(reported map[int64]bool, from, to int64) bool {
	for l := from; l < to; l++ {
		if reported[l] {
			return true
		}
	}
	return false
}

// trimEOFMark drops a final DOS end-of-file mark: the byte 0x1A (for UTF-16LE
// also the unit 1A 00).
func trimEOFMark(data []byte, w int) []byte {
	n := len(data)
	switch {
	case w == 1 && n > 0 && data[n-1] == 0x1A:
		return data[:n-1]
	case w == 2 && n%2 == 1 && data[n-1] == 0x1A:
		return data[:n-1]
	case w == 2 && n >= 2 && n%2 == 0 && data[n-2] == 0x1A && data[n-1] == 0:
		return data[:n-2]
	}
	return data
}

// isLF reports whether data holds the line feed unit at unit offset i.
func isLF(data []byte, i, w int) bool {
	return data[i] == '\n' && (w == 1 || (i+1 < len(data) && data[i+1] == 0))
}

// recordStarts returns the offsets of the lines of data that start with '['.
func recordStarts(data []byte, w int) []int {
	var starts []int
	for ls := 0; ls < len(data); {
		if data[ls] == '[' && (w == 1 || (ls+1 < len(data) && data[ls+1] == 0)) {
			starts = append(starts, ls)
		}
		next := nextLine(data, ls, w)
		if next < 0 {
			break
		}
		ls = next
	}
	return starts
}

// nextLine returns the start of the line after the one at ls, or -1.
func nextLine(data []byte, ls, w int) int {
	for from := ls; ; {
		i := bytes.IndexByte(data[from:], '\n')
		if i < 0 {
			return -1
		}
		i += from
		if (i-ls)%w == 0 && isLF(data, i, w) {
			return i + w
		}
		from = i + 1
	}
}

// countUnits counts the line feeds of data.
func countUnits(data []byte, w int) int64 {
	if w == 1 {
		return int64(bytes.Count(data, []byte{'\n'}))
	}
	var n int64
	for ls := 0; ; n++ {
		if ls = nextLine(data, ls, w); ls < 0 {
			return n
		}
	}
}
