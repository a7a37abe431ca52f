package backup

import (
	"bytes"
)

// regScanner reads the key lines of a .reg export as it is written to it,
// to tell whether a satellite's keys sit on the 32-bit path
// (HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM) or under Wow6432Node. It works on
// "narrow" text: UTF-16LE (with its BOM, as regedit writes version 5.00
// files) is read unit by unit with every non-ASCII unit taken as 0x80, which
// keeps every ASCII decision of the format; REGEDIT4 files are ANSI bytes.
// Only the first bytes of each line are kept.
type regScanner struct {
	started bool
	utf16   bool
	bom     string
	odd     []byte // a UTF-16 unit split across writes
	line    []byte
	lines   int64
	header  string
	native  int64
	wow64   int64
}

const regLineKeep = 512

func newRegScanner() *regScanner { return &regScanner{} }

func (s *regScanner) Write(p []byte) (int, error) {
	n := len(p)
	if !s.started {
		s.odd = append(s.odd, p...)
		if len(s.odd) < 3 {
			return n, nil
		}
		p, s.odd = s.odd, nil
		s.started = true
		switch {
		case bytes.HasPrefix(p, []byte{0xFF, 0xFE}):
			s.utf16, s.bom, p = true, "utf-16le", p[2:]
		case bytes.HasPrefix(p, []byte{0xEF, 0xBB, 0xBF}):
			s.bom, p = "utf-8", p[3:]
		}
	}
	if !s.utf16 {
		s.narrow(p)
		return n, nil
	}
	if len(s.odd) == 1 {
		if len(p) == 0 {
			return n, nil
		}
		s.narrowUnits([]byte{s.odd[0], p[0]})
		s.odd, p = nil, p[1:]
	}
	even := len(p) &^ 1
	s.narrowUnits(p[:even])
	if even < len(p) {
		s.odd = append(s.odd[:0], p[even])
	}
	return n, nil
}

func (s *regScanner) narrowUnits(p []byte) {
	buf := make([]byte, 0, len(p)/2)
	for i := 0; i+1 < len(p); i += 2 {
		c := p[i]
		if p[i+1] != 0 || c >= 0x80 {
			c = 0x80
		}
		buf = append(buf, c)
	}
	s.narrow(buf)
}

func (s *regScanner) narrow(p []byte) {
	for len(p) > 0 {
		nl := bytes.IndexByte(p, '\n')
		part := p
		if nl >= 0 {
			part = p[:nl]
		}
		if room := regLineKeep - len(s.line); room > 0 {
			s.line = append(s.line, part[:min(room, len(part))]...)
		}
		if nl < 0 {
			return
		}
		s.endLine()
		p = p[nl+1:]
	}
}

var (
	hklmLong  = []byte(`HKEY_LOCAL_MACHINE\SOFTWARE\`)
	hklmShort = []byte(`HKLM\SOFTWARE\`)
	ppcom     = []byte(`PP-COM`)
	wow6432   = []byte(`WOW6432NODE\PP-COM`)
)

func (s *regScanner) endLine() {
	line := bytes.TrimRight(s.line, "\r")
	s.lines++
	if s.lines == 1 {
		s.header = string(line)
	}
	if bytes.HasPrefix(line, []byte("[")) {
		key := bytes.TrimPrefix(line[1:], []byte("-"))
		up := bytes.ToUpper(key)
		rest, ok := bytes.CutPrefix(up, hklmLong)
		if !ok {
			rest, ok = bytes.CutPrefix(up, hklmShort)
		}
		if ok {
			switch {
			case underKey(rest, wow6432):
				s.wow64++
			case underKey(rest, ppcom):
				s.native++
			}
		}
	}
	s.line = s.line[:0]
}

// underKey reports whether path (after the SOFTWARE\ prefix) is key or
// below it.
func underKey(path, key []byte) bool {
	if !bytes.HasPrefix(path, key) {
		return false
	}
	rest := path[len(key):]
	return len(rest) == 0 || rest[0] == '\\' || rest[0] == ']'
}

// fill sets the satellite report's counts.
func (s *regScanner) fill(r *SatelliteReport) {
	if !s.started {
		head := s.odd
		s.odd, s.started = nil, true
		s.narrow(head)
	}
	if len(s.line) > 0 {
		s.endLine()
	}
	switch {
	case bytes.Contains([]byte(s.header), []byte("Windows Registry Editor Version 5.00")):
		r.Format = "5.00"
	case s.header == "REGEDIT4":
		r.Format = "4"
	default:
		r.Format = "unknown"
	}
	r.Native, r.Wow64 = s.native, s.wow64
	switch {
	case s.native > 0 && s.wow64 > 0:
		r.Path = "mixed"
	case s.native > 0:
		r.Path = "32-bit"
	case s.wow64 > 0:
		r.Path = "Wow6432Node"
	default:
		r.Path = "none"
	}
}

func (s *regScanner) encoding() string {
	if s.bom != "" {
		return s.bom
	}
	return "cp1252"
}
