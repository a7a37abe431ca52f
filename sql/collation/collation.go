// Package collation maps SQL Server collation names to the names an older
// release knows, and tells which characters survive in char and varchar
// data under a collation's code page.
//
// A Windows collation name is a designator followed by a version and the
// comparison styles: Latin1_General_100_CI_AS_SC_UTF8 is the Latin1_General
// rules of version 100, case-insensitive, accent-sensitive, aware of
// supplementary characters (_SC, SQL Server 2012) and storing char and
// varchar data as UTF-8 (_UTF8, SQL Server 2019). For a target older than a
// part of the name, For drops or replaces that part, by these rules:
//
//	_UTF8 (2019)        dropped; char and varchar data use the code page of
//	                    the designator again (1252 for Latin1_General), so
//	                    characters outside it are lost
//	version 140 (2017)  becomes version 100, with _SC (which version 140
//	                    collations imply) where the target has it; _VSS
//	                    (variation selectors, 140 only) is dropped
//	_SC (2012)          dropped; nchar and nvarchar keep supplementary
//	                    characters, but functions count them as two
//
// SQL Server collations (SQL_Latin1_General_CP1_CI_AS ...) exist on every
// release and are never changed. The same rules serve xdm sql script and
// xdm sql downgrade, so both write the same name for the same target.
package collation

import (
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/version"
)

// Mapping is what For decided for one collation name and target.
type Mapping struct {
	From, To string
	// Lost names what the target lacks, one phrase per dropped part, in
	// the order of the name: "UTF-8 storage of char and varchar (_UTF8,
	// SQL Server 2019)". Empty when To == From.
	Lost []string
	// UTF8 is set when From stores char and varchar data as UTF-8 and To
	// does not: that data keeps only the characters of CodePage.
	UTF8 bool
	// CodePage is the Windows code page of char and varchar data under To;
	// 0 for a Unicode-only collation (char and varchar cannot use it), -1
	// when xdm does not know it.
	CodePage int
}

// Changed reports whether the target needs another name.
func (m Mapping) Changed() bool { return !strings.EqualFold(m.From, m.To) }

// style holds the parts of a Windows collation name.
type style struct {
	designator string   // Latin1_General, Japanese_Bushu_Kakusu
	version    int      // 0 (version 80), 90, 100, 140, 160
	flags      []string // CI, AS, KS, WS, VSS, SC, BIN, BIN2, UTF8 as written
}

var flagWords = map[string]bool{"CI": true, "CS": true, "AI": true, "AS": true, "KS": true, "WS": true,
	"VSS": true, "SC": true, "UTF8": true, "BIN": true, "BIN2": true}

// parse splits a Windows collation name; ok is false for SQL Server
// collations and names it cannot read.
func parse(name string) (s style, ok bool) {
	if strings.HasPrefix(strings.ToUpper(name), "SQL_") {
		return s, false
	}
	parts := strings.Split(name, "_")
	i := 0
	for i < len(parts) && !flagWords[strings.ToUpper(parts[i])] && !isVersion(parts[i]) {
		i++
	}
	if i == 0 || i == len(parts) {
		return s, false
	}
	s.designator = strings.Join(parts[:i], "_")
	if isVersion(parts[i]) {
		s.version, _ = strconv.Atoi(parts[i])
		i++
	}
	for _, p := range parts[i:] {
		if !flagWords[strings.ToUpper(p)] {
			return s, false
		}
		s.flags = append(s.flags, p)
	}
	return s, true
}

func isVersion(p string) bool {
	switch p {
	case "80", "90", "100", "110", "140", "160":
		return true
	}
	return false
}

func (s style) has(flag string) bool {
	for _, f := range s.flags {
		if strings.EqualFold(f, flag) {
			return true
		}
	}
	return false
}

func (s *style) drop(flag string) {
	out := s.flags[:0]
	for _, f := range s.flags {
		if !strings.EqualFold(f, flag) {
			out = append(out, f)
		}
	}
	s.flags = out
}

// add inserts flag before the first of the flags that follow it in names
// (SC comes before UTF8), or at the end.
func (s *style) add(flag string, before ...string) {
	for i, f := range s.flags {
		for _, b := range before {
			if strings.EqualFold(f, b) {
				s.flags = append(s.flags[:i], append([]string{flag}, s.flags[i:]...)...)
				return
			}
		}
	}
	s.flags = append(s.flags, flag)
}

func (s style) String() string {
	parts := []string{s.designator}
	if s.version != 0 {
		parts = append(parts, strconv.Itoa(s.version))
	}
	return strings.Join(append(parts, s.flags...), "_")
}

// For returns the collation name to write for target instead of name, and
// what is lost by it. For a name the target knows, To is name itself.
func For(name string, target version.Version) Mapping {
	m := Mapping{From: name, To: name, CodePage: CodePage(name)}
	s, ok := parse(name)
	if !ok {
		return m
	}
	if target < version.SQL2019 && s.has("UTF8") {
		s.drop("UTF8")
		m.UTF8 = true
		m.Lost = append(m.Lost, "UTF-8 storage of char and varchar (_UTF8, SQL Server 2019)")
	}
	if target < version.SQL2017 && s.version == 140 {
		s.version = 100
		m.Lost = append(m.Lost, "the version 140 sort rules (SQL Server 2017; version 100 is used)")
		if s.has("VSS") {
			s.drop("VSS")
			m.Lost = append(m.Lost, "variation selector sensitivity (_VSS, SQL Server 2017)")
		}
		if !s.has("BIN") && !s.has("BIN2") && !s.has("SC") {
			s.add("SC", "UTF8") // version 140 collations are supplementary-aware; _SC says so in 100
		}
	}
	if target < version.SQL2012 && s.has("SC") {
		s.drop("SC")
		m.Lost = append(m.Lost, "supplementary character awareness (_SC, SQL Server 2012)")
	}
	m.To = s.String()
	m.CodePage = CodePage(m.To)
	return m
}
