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
	noFast   bool      // tests: every line through the general path (lineScan.line)
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
	s := lineScan{
		f: f, text: text, st: st, cs: cs,
		edits: make([]edit, 0, len(text)/256), // a journal of header records has one per 300 bytes
		// Escapes are rare: find the backslashes of the chunk in one pass,
		// and check the escapes of a value only on the lines that hold one.
		backslash: indexOr(text, 0, '\\'),
	}
	pos := 0
	if !f.noFast {
		pos = s.fast()
	}
	for pos < len(text) && s.err == nil {
		pos = s.line(pos)
	}
	if s.err != nil {
		return nil, s.err
	}
	return s.edits, nil
}

// lineScan is the scan of one chunk's text: where it is and what it found.
type lineScan struct {
	f         *fixer
	text      []byte
	st        state
	cs        *chunkStats
	edits     []edit
	lineNo    int64       // the lines begun
	general   int64       // the lines read by line (tests: the fast path reads the rest)
	skipped   int64       // the bytes the bulk check skipped (tests: long values are skipped)
	backslash int         // the first backslash at or after the current line, or len(text)
	err       *chunkError // the first issue in strict mode: the scan stops
}

// line checks the line that starts at pos and returns where the next one
// starts (len(text) after the last). It is the general path: any line,
// anywhere in the text.
func (s *lineScan) line(pos int) int {
	text, st, cs := s.text, &s.st, s.cs
	s.lineNo++
	s.general++
	// Most lines are fields: their name is read once, up to the '=', and the
	// line's end searched from there.
	eq := fieldName(text, pos)
	end, next := s.f.lineEnd(text, pos, max(pos, eq), st.last, cs)
	if end == pos && next == len(text) {
		return next // an empty last line (or a final 0x1A): nothing to check
	}
	line := text[pos:end]
	escapes := s.backslash < end
	if s.backslash < next {
		s.backslash = indexOr(text, next, '\\')
	}
	var iss *syntaxIssue
	switch {
	case eq >= 0 && st.header && !escapes && !maybeBinary(text[eq+1:end]) && !(st.journal && eq-pos == len("CONTENTTYPE")):
		// A field with nothing to check or fix: most lines.
	case eq >= 0:
		iss = s.f.field(line, eq-pos, pos, escapes, st, cs, &s.edits)
	case end > pos:
		iss = s.f.line(line, pos, escapes, st, cs, &s.edits)
	}
	if iss != nil {
		s.issue(pos, line, iss)
	}
	return next
}

// issue records a line that does not fit: the scan's error in strict mode,
// a skipped line in lenient mode.
func (s *lineScan) issue(pos int, line []byte, iss *syntaxIssue) {
	cerr := &chunkError{line: s.lineNo, column: column(s.f.enc, line, iss.col), unit: pos + iss.col, msg: iss.msg}
	if !s.f.lenient {
		s.err = cerr
		return
	}
	s.cs.skipped++
	if len(s.cs.issues) < maxIssues {
		s.cs.issues = append(s.cs.issues, cerr.position(s.f.unitWidth()))
	}
}

// fast checks the lines of text from the start, as line would, up to a line
// near the end of the text, and returns where that line starts: in blocks
// (bulk), but for the lines before the first record header and the lines
// longer than the blocks in reach, which line reads.
func (s *lineScan) fast() int {
	text := s.text
	pos := 0
	for !s.st.header && pos < len(text) && s.err == nil {
		pos = s.line(pos)
	}
	for pos < len(text) && s.err == nil {
		next := s.bulk(pos)
		if next == pos {
			if len(text)-pos < 64+bulkRoom {
				break // the end of the text
			}
			next = s.line(pos) // a long line
		}
		pos = next
	}
	return pos
}

// common checks a line the bulk check looks at, [pos, end) without its
// line ending, if it is a common one, with the effects line would have but
// the count of its line ending; it reports false, having changed nothing, for
// any other line, which line then reads. The common lines are fields whose
// value has no escape (the caller checks) and no binary prefix of odd
// length, a CONTENTTYPE of a JOURNAL record only when it is a plain number;
// blank lines; and [JOURNAL] headers.
func (s *lineScan) common(pos, end int) bool {
	text := s.text
	c := text[pos]
	if isLetter(c) {
		if s.st.journal && text[pos+11] == '=' && isContentTypeAt(text, pos) {
			return s.contentType(pos+11, end) // a binary value is no plain number
		}
		// The name: a letter, then name characters up to the '='. Names
		// of up to 17 characters are read in two words; the line ends
		// after the name (a '\n' is no name character).
		m := ^nameBytes(load64(text, pos+1)) & high
		eq := pos + 1 + firstMarked(m)
		if m == 0 {
			eq = pos + 9 + firstMarked(^nameBytes(load64(text, pos+9))&high)
		}
		if text[eq] != '=' || (text[eq+1] == '0' && text[eq+2] == 'x' && (end-eq)%2 == 0 && end-eq > 3) {
			return false // not a field, or a binary value of odd length to check
		}
		return true
	}
	switch {
	case end == pos:
		return true // a blank line
	case c == '[' && end == pos+9 && isJournalHeader(text, pos):
		s.cs.records++
		s.cs.journals++
		s.st.journal = true
		return true
	}
	return false
}

// contentType handles the value text[eq+1:end] of a CONTENTTYPE field of a
// JOURNAL record if it is a plain number, as field would; else it reports
// false and changes nothing.
func (s *lineScan) contentType(eq, end int) bool {
	v := s.text[eq+1 : end]
	start, stop, remap, ok := 0, len(v), 0, digitsOnly(s.text, eq+1, len(v))
	if ok {
		remap = remapIndex(v)
	} else if start, stop, remap, ok = plainContentType(v); !ok {
		return false
	}
	s.cs.contentTypes++
	if remap >= 0 {
		s.cs.changed[remap]++
		s.edits = append(s.edits, edit{eq + 1 + start, eq + 1 + stop})
	}
	return true
}

// fieldName returns the index of the '=' that ends the field name of a line
// NAME=VALUE starting at pos, or -1 for any other line.
func fieldName(text []byte, pos int) int {
	if !isLetter(text[pos]) {
		return -1
	}
	i := pos + 1
	for i < len(text) && nameChar[text[i]] {
		i++
	}
	if i < len(text) && text[i] == '=' {
		return i
	}
	return -1
}

// lineEnd finds the end of the line that starts at pos, searching from
// from (pos, or a later index inside the line): end excludes the line ending
// (and, at the end of the input, a DOS end-of-file mark), next is where the
// next line starts. It counts the line ending.
func (f *fixer) lineEnd(text []byte, pos, from int, last bool, cs *chunkStats) (end, next int) {
	if nl := bytes.IndexByte(text[from:], '\n'); nl >= 0 {
		end = from + nl
		if end > pos && text[end-1] == '\r' {
			cs.crlf++
			return end - 1, end + 1
		}
		cs.lf++
		return end, end + 1
	}
	end = len(text)
	if last && end > pos && text[end-1] == 0x1A {
		end--
		cs.eofMark = true
	}
	if end > pos {
		cs.noFinalNewline = last
	}
	return end, len(text)
}

// indexOr returns the index of the first c in text at or after from, or
// len(text).
func indexOr(text []byte, from int, c byte) int {
	if i := bytes.IndexByte(text[from:], c); i >= 0 {
		return from + i
	}
	return len(text)
}

// line handles one line (without its ending) that starts at unit pos;
// escapes is false when the line holds no backslash.
func (f *fixer) line(line []byte, pos int, escapes bool, st *state, cs *chunkStats, edits *[]edit) *syntaxIssue {
	kind, nameEnd, typ, iss := classify(line)
	if kind == lineBad && line[0] == '[' {
		// A broken header still ends the record before it; the fields after
		// it belong to a record of unknown type, which is not touched.
		st.header, st.journal = true, false
	}
	if kind == lineBad && !st.header && isLetter(line[0]) {
		// Before the first header a name is out of place, with or without '='.
		return &syntaxIssue{0, "expected a record header [TYPE] or [TYPE:KEY] before the first field, found " + describe(line, 0)}
	}
	switch kind {
	case lineHeader:
		cs.records++
		st.header = true
		st.journal = isJournal(typ)
		if st.journal {
			cs.journals++
		}
	case lineField:
		return f.field(line, nameEnd, pos, escapes, st, cs, edits)
	}
	return iss
}

// field handles a field line NAME=VALUE (without its ending) that starts at
// unit pos; the '=' is at line[nameEnd].
func (f *fixer) field(line []byte, nameEnd, pos int, escapes bool, st *state, cs *chunkStats, edits *[]edit) *syntaxIssue {
	if !st.header {
		return &syntaxIssue{0, "expected a record header [TYPE] or [TYPE:KEY] before the first field"}
	}
	v := line[nameEnd+1:]
	if escapes {
		if _, iss := checkEscapes(v); iss != nil {
			iss.col += nameEnd + 1
			return iss
		}
	}
	if maybeBinary(v) {
		if iss := checkBinary(v); iss != nil {
			iss.col += nameEnd + 1
			return iss
		}
	}
	if !st.journal || !isContentType(line[:nameEnd]) {
		return nil
	}
	cs.contentTypes++
	s, e, remap, ok := 0, 0, 0, false
	if !escapes {
		s, e, remap, ok = plainContentType(v)
	}
	if !ok {
		var iss *syntaxIssue
		if s, e, remap, iss = contentType(v); iss != nil {
			iss.col += nameEnd + 1
			return iss
		}
	}
	if remap >= 0 {
		cs.changed[remap]++
		base := pos + nameEnd + 1
		*edits = append(*edits, edit{base + s, base + e})
	}
	return nil
}
