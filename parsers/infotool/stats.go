package infotool

import (
	"bytes"
	"strings"
	"unicode"
)

// Stats summarise a data export: what `xdm infotool stats` prints. Fill one
// with [Stats.AddPreamble], [Stats.Add] for every record and [Stats.Finish].
type Stats struct {
	Encoding string `json:"encoding"`
	BOM      bool   `json:"bom"`
	Bytes    int64  `json:"bytes"`
	Records  int    `json:"records"`
	// RecordsByType counts records per type as written in the headers.
	RecordsByType map[string]int `json:"records_by_type"`
	// FieldsByType counts field lines per record type and upper-cased field
	// name.
	FieldsByType map[string]map[string]int `json:"fields_by_type"`
	// ContentTypes counts the CONTENTTYPE values of JOURNAL records, as
	// written (blanks and leading zeros kept).
	ContentTypes map[string]int `json:"contenttype_histogram"`
	// Databases are the names of the "; DATABASE <name>" comment lines, in
	// file order.
	Databases []string  `json:"databases,omitempty"`
	Lines     LineStats `json:"lines"`
	// EOFMarker reports a DOS end-of-file byte (0x1A) at the end.
	EOFMarker bool `json:"eof_marker"`
}

// LineStats count line terminators.
type LineStats struct {
	Total int64 `json:"total"`
	CRLF  int64 `json:"crlf"`
	LF    int64 `json:"lf"`
	// FinalNewline is false when the last line has no terminator.
	FinalNewline bool `json:"final_newline"`
	// Longest is the length in bytes of the longest line, terminator excluded.
	Longest int64 `json:"longest"`
}

// NewStats returns empty Stats.
func NewStats() *Stats {
	return &Stats{
		RecordsByType: map[string]int{},
		FieldsByType:  map[string]map[string]int{},
		ContentTypes:  map[string]int{},
		Lines:         LineStats{FinalNewline: true},
	}
}

// AddPreamble counts the lines before the first header.
func (s *Stats) AddPreamble(preamble []byte, enc Encoding) {
	s.lines(preamble, enc)
}

// Add counts one record.
func (s *Stats) Add(rec *Record, enc Encoding) {
	s.Records++
	s.RecordsByType[rec.Type]++
	fields := s.FieldsByType[rec.Type]
	if fields == nil {
		fields = map[string]int{}
		s.FieldsByType[rec.Type] = fields
	}
	journal := strings.EqualFold(rec.Type, "JOURNAL")
	for i := range rec.Fields {
		f := &rec.Fields[i]
		fields[strings.ToUpper(f.Name)]++
		if journal && strings.EqualFold(f.Name, "CONTENTTYPE") {
			s.ContentTypes[string(DecodeText(f.Raw, enc))]++
		}
	}
	s.lines(rec.Raw, enc)
}

// Finish records what the Reader learnt at the end of the input.
func (s *Stats) Finish(r *Reader) {
	s.Encoding = r.Encoding().String()
	s.BOM = len(r.Encoding().BOM()) > 0
	s.EOFMarker = len(r.Trailer()) > 0
	s.Bytes = r.InputOffset() + int64(len(r.Trailer()))
}

// lines counts the terminators and DATABASE comments of b.
func (s *Stats) lines(b []byte, enc Encoding) {
	w := enc.unitWidth()
	for len(b) > 0 {
		end := indexLine(b, w)
		line := b
		if end >= 0 {
			line = b[:end]
			b = b[end+w:]
		} else {
			b = nil
		}
		s.Lines.Total++
		switch {
		case end < 0:
			s.Lines.FinalNewline = false
		case len(line) >= w && line[len(line)-w] == '\r' && (w == 1 || line[len(line)-1] == 0):
			s.Lines.CRLF++
			line = line[:len(line)-w]
		default:
			s.Lines.LF++
		}
		s.Lines.Longest = max(s.Lines.Longest, int64(len(line)))
		if name, ok := databaseComment(line, enc); ok {
			s.Databases = append(s.Databases, name)
		}
	}
}

// indexLine returns the offset of the next LF unit in b, or -1.
func indexLine(b []byte, w int) int {
	if w == 1 {
		return bytes.IndexByte(b, '\n')
	}
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == '\n' && b[i+1] == 0 {
			return i
		}
	}
	return -1
}

// databaseComment recognises "; DATABASE <name>" (blanks allowed around).
func databaseComment(line []byte, enc Encoding) (string, bool) {
	if len(line) > 200 {
		return "", false
	}
	text := strings.TrimLeft(string(DecodeText(line, enc)), " \t")
	rest, ok := strings.CutPrefix(text, ";")
	if !ok {
		return "", false
	}
	f := strings.Fields(rest)
	if len(f) != 2 || !strings.EqualFold(f[0], "DATABASE") {
		return "", false
	}
	return f[1], true
}

// Kind is the kind of an infotool export file.
type Kind string

// The kinds of infotool files.
const (
	KindFull    Kind = "full"    // infotool fullexport
	KindJournal Kind = "journal" // infotool export rec=JOURNAL
	KindMask    Kind = "mask"    // infotool maskexport (.mdl)
)

// DetectKind guesses the kind of a file from its first bytes: KindMask when
// the first word after blank and comment lines is MASK, else KindFull (a
// data export; whether it is a journal export shows only once every record
// has been read: all of type JOURNAL).
func DetectKind(head []byte) Kind {
	enc, bom := DetectEncoding(head)
	text := string(DecodeText(head[bom:], enc))
	// A mask export's line ends are blanks, a lone CR included.
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, ";") {
			continue
		}
		word := strings.TrimLeftFunc(line, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) })
		if strings.EqualFold(line[:len(line)-len(word)], "MASK") {
			return KindMask // "MASK J", also "MASK;comment"
		}
		return KindFull
	}
	return KindFull
}
