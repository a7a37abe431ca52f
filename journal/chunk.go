package journal

import (
	"bytes"
)

// state is what a chunk needs to know about the input before it.
type state struct {
	journal bool // the chunk starts inside a [JOURNAL] record
	header  bool // a record header came before the chunk
	last    bool // the chunk ends the input: a final 0x1A is the DOS end-of-file mark
}

// splitter cuts the input into chunks of whole lines (of whole records when
// validating) and carries the state from one chunk to the next. It runs
// sequentially, on data that starts at a line boundary.
type splitter struct {
	enc     Encoding
	records bool // cut only before a record header (--validate)
	st      state
	scratch []byte
}

// split returns the length of the next chunk of data and its state, or 0 when
// data holds no complete line (record) yet.
func (s *splitter) split(data []byte, atEOF bool) (int, state) {
	n := len(data)
	if !atEOF {
		// Leave 1/16 of a full buffer for the next chunk, so that the fixed
		// chunk (at most one unit longer per fixed line of 17 units or more)
		// fits the engine's output buffer of the same size.
		n = s.cut(data[:len(data)-len(data)/16])
		if n <= 0 {
			n = s.cut(data)
		}
		if n <= 0 {
			return 0, state{}
		}
	}
	st := s.st
	st.last = atEOF && n == len(data)
	if i := s.lastHeader(data[:n], 0); i >= 0 {
		typ, ok := s.header(data[:n], i)
		s.st.header = true
		s.st.journal = ok && isJournal(typ)
	}
	return n, st
}

// cut returns where the chunk in data should end: after the last line, or
// before the last record header when whole records are wanted; 0 if none.
func (s *splitter) cut(data []byte) int {
	if s.records {
		return s.lastHeader(data, 1)
	}
	return lastLineEnd(data, s.enc == UTF16LE)
}

// lastLineEnd returns the length of data up to and including its last line
// ending, or 0.
func lastLineEnd(data []byte, utf16 bool) int {
	if !utf16 {
		return bytes.LastIndexByte(data, '\n') + 1
	}
	for end := len(data); end > 0; {
		i := bytes.LastIndexByte(data[:end], '\n')
		if i < 0 {
			return 0
		}
		if i%2 == 0 && i+1 < len(data) && data[i+1] == 0 {
			return i + 2
		}
		end = i
	}
	return 0
}

// lastHeader returns the offset of the last line of data that starts with
// '[' (a record header, valid or not: either way it ends the record before
// it) at min or later, or -1.
func (s *splitter) lastHeader(data []byte, min int) int {
	utf16 := s.enc == UTF16LE
	for end := len(data); end > min; {
		i := bytes.LastIndexByte(data[:end], '[')
		if i < min {
			return -1
		}
		end = i
		if utf16 {
			if i%2 != 0 || i+1 >= len(data) || data[i+1] != 0 || (i > 0 && (data[i-2] != '\n' || data[i-1] != 0)) {
				continue
			}
		} else if i > 0 && data[i-1] != '\n' {
			continue
		}
		return i
	}
	return -1
}

// header parses the header line starting at data[i]; ok is false for an
// invalid header. A line without line ending (the end of the input, after
// which no state is needed) counts as invalid.
func (s *splitter) header(data []byte, i int) (typ []byte, ok bool) {
	line := data[i:]
	if s.enc == UTF16LE {
		k := firstLineEnd16(line)
		if k < 0 {
			return nil, false
		}
		var err *encodingError
		s.scratch, err = narrowUTF16(s.scratch[:0], line[:k])
		if err != nil {
			return nil, false
		}
		line = s.scratch
	} else {
		k := bytes.IndexByte(line, '\n')
		if k < 0 {
			return nil, false
		}
		line = line[:k]
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	typ, iss := parseHeader(line)
	return typ, iss == nil
}

// firstLineEnd16 returns the offset of the first UTF-16 line feed in data
// (at an even offset), or -1.
func firstLineEnd16(data []byte) int {
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return -1
		}
		i += off
		if i%2 == 0 && i+1 < len(data) && data[i+1] == 0 {
			return i
		}
		off = i + 1
	}
	return -1
}
