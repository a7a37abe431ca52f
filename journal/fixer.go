package journal

import (
	"bytes"
	"sync"

	"github.com/xdm-migrate/xdm/position"
)

// maxIssues bounds the lenient-mode issues a report keeps (all are counted).
const maxIssues = 1000

var (
	fixedDigits     = []byte("1092")
	fixedDigits16LE = []byte("1\x000\x009\x002\x00")
)

// fixer applies the CONTENTTYPE rule to chunks of whole lines. Its methods
// are safe for concurrent use.
type fixer struct {
	enc      Encoding
	lenient  bool
	validate bool      // also parse every record with the infotool grammar
	narrow   sync.Pool // *[]byte scratch for UTF-16 chunks
}

// edit replaces units [start, end) of a chunk by the fixed value.
type edit struct{ start, end int }

// chunkStats is what one chunk contributes to the report.
type chunkStats struct {
	records, journals, contentTypes int64
	changed                         [101]int64 // by remapIndex
	crlf, lf                        int64
	noFinalNewline, eofMark         bool // last chunk only
	skipped                         int64
	issues                          []*position.Error // Line and Offset relative to the chunk
	validated                       int64             // records parsed by the grammar (--validate)
}

func (c *chunkStats) add(o *chunkStats) {
	c.records += o.records
	c.journals += o.journals
	c.contentTypes += o.contentTypes
	for i, n := range o.changed {
		c.changed[i] += n
	}
	c.crlf += o.crlf
	c.lf += o.lf
	c.noFinalNewline = c.noFinalNewline || o.noFinalNewline
	c.eofMark = c.eofMark || o.eofMark
	c.skipped += o.skipped
	c.validated += o.validated
}

// chunkError is the first problem of a chunk in strict mode.
type chunkError struct {
	line   int64 // 1-based, relative to the chunk
	column int   // 1-based character column
	unit   int   // code unit index in the chunk (for the byte offset)
	msg    string
	utf16  bool  // invalid UTF-16 rather than a format error
	also   error // the grammar's error (Options.Validate)
}

// unitWidth is the width of a code unit in bytes.
func (f *fixer) unitWidth() int64 {
	if f.enc == UTF16LE {
		return 2
	}
	return 1
}

// position returns the error for the engine: line and offset relative to
// the chunk; units are unit bytes wide.
func (e *chunkError) position(unit int64) *position.Error {
	c := &cause{msg: e.msg, is: []error{ErrSyntax}}
	if e.utf16 {
		c.is = []error{ErrEncoding}
	}
	if e.also != nil {
		c.is = append(c.is, e.also)
	}
	return &position.Error{Line: e.line, Column: e.column, Offset: int64(e.unit) * unit, Err: c}
}

// fixChunk fixes one chunk. out is nil when nothing in it changes; else the
// fixed chunk appended to dst.
func (f *fixer) fixChunk(data []byte, st state, dst []byte) (out []byte, cs *chunkStats, cerr *chunkError) {
	cs = &chunkStats{}
	text, unit := data, 1
	if f.enc == UTF16LE {
		bufp, _ := f.narrow.Get().(*[]byte)
		if bufp == nil {
			bufp = new([]byte)
		}
		defer f.narrow.Put(bufp)
		units := data
		if st.last && len(data)%2 == 1 && data[len(data)-1] == 0x1A {
			// A DOS end-of-file byte after the last code unit.
			units = data[:len(data)-1]
			cs.eofMark = true
		}
		var eerr *encodingError
		*bufp, eerr = narrowUTF16((*bufp)[:0], units)
		text, unit = *bufp, 2
		if eerr != nil {
			// Report a format error in the lines before the bad unit first,
			// as a reading line by line would.
			start := bytes.LastIndexByte(text[:eerr.unit], '\n') + 1
			prefix := st
			prefix.last = false
			if _, cerr := f.scan(text[:start], prefix, &chunkStats{}); cerr != nil {
				return nil, cs, cerr
			}
			return nil, cs, &chunkError{
				line:   int64(bytes.Count(text[:eerr.unit], []byte{'\n'})) + 1,
				column: column(f.enc, text[start:], eerr.unit-start),
				unit:   eerr.unit,
				msg:    "invalid UTF-16: " + eerr.msg,
				utf16:  true,
			}
		}
	}
	edits, cerr := f.scan(text, st, cs)
	if cerr == nil && f.validate {
		cerr = f.parseRecords(data, st, cs)
	}
	if cerr != nil || len(edits) == 0 {
		return nil, cs, cerr
	}
	repl := fixedDigits
	if unit == 2 {
		repl = fixedDigits16LE
	}
	prev := 0
	for _, e := range edits {
		dst = append(dst, data[prev*unit:e.start*unit]...)
		dst = append(dst, repl...)
		prev = e.end
	}
	return append(dst, data[prev*unit:]...), cs, nil
}

// scan walks the lines of text (narrow units) from state st, counts what the
// report needs and returns the CONTENTTYPE digit runs to replace.
func (f *fixer) scan(text []byte, st state, cs *chunkStats) ([]edit, *chunkError) {
	var edits []edit
	var lineNo int64
	for pos := 0; pos < len(text); {
		lineNo++
		rest := text[pos:]
		var line []byte
		next := len(text)
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			line, next = rest[:nl], pos+nl+1
			if nl > 0 && line[nl-1] == '\r' {
				line = line[:nl-1]
				cs.crlf++
			} else {
				cs.lf++
			}
		} else {
			line = rest
			if st.last && len(line) > 0 && line[len(line)-1] == 0x1A {
				line = line[:len(line)-1]
				cs.eofMark = true
			}
			if len(line) == 0 {
				break
			}
			cs.noFinalNewline = st.last
		}
		iss := f.line(line, pos, &st, cs, &edits)
		if iss != nil {
			cerr := &chunkError{line: lineNo, column: column(f.enc, line, iss.col), unit: pos + iss.col, msg: iss.msg}
			if !f.lenient {
				return nil, cerr
			}
			cs.skipped++
			if len(cs.issues) < maxIssues {
				cs.issues = append(cs.issues, cerr.position(f.unitWidth()))
			}
		}
		pos = next
	}
	return edits, nil
}

// line handles one line (without its ending) that starts at unit pos.
func (f *fixer) line(line []byte, pos int, st *state, cs *chunkStats, edits *[]edit) *syntaxIssue {
	kind, nameEnd, typ, iss := classify(line)
	if kind == lineBad && line[0] == '[' {
		// A broken header still ends the record before it; the fields after
		// it belong to a record of unknown type, which is not touched.
		st.header, st.journal = true, false
	}
	switch kind {
	case lineHeader:
		cs.records++
		st.header = true
		st.journal = bytes.EqualFold(typ, []byte(journalType))
		if st.journal {
			cs.journals++
		}
	case lineField:
		if !st.header {
			return &syntaxIssue{0, "expected a record header [TYPE] or [TYPE:KEY] before the first field"}
		}
		v := line[nameEnd+1:]
		if _, iss := checkEscapes(v); iss != nil {
			iss.col += nameEnd + 1
			return iss
		}
		if iss := checkBinary(v); iss != nil {
			iss.col += nameEnd + 1
			return iss
		}
		if !st.journal || nameEnd != len(contentTypeName) || !bytes.EqualFold(line[:nameEnd], []byte(contentTypeName)) {
			return nil
		}
		cs.contentTypes++
		s, e, remap, iss := contentType(v)
		if iss != nil {
			iss.col += nameEnd + 1
			return iss
		}
		if remap >= 0 {
			cs.changed[remap]++
			base := pos + nameEnd + 1
			*edits = append(*edits, edit{base + s, base + e})
		}
	}
	return iss
}
