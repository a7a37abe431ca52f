package atlas

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/position"
	"golang.org/x/text/encoding/unicode"
)

// Rename replaces one Data Source by another, e.g. (local)\XPCONNECT by
// (local)\XPCONNECT2019 after the SQL Server Express update.
type Rename struct{ From, To string }

// Edit says what Apply changes. The zero value changes nothing.
type Edit struct {
	// Instances rename Data Sources: a database whose Data Source equals
	// From (case-insensitively, as SQL Server names compare) gets To.
	Instances []Rename
	// Server, if set, becomes every selected database's Data Source
	// (moving to an external SQL Server).
	Server string
	// WindowsLogin makes every selected database log in with the service's
	// Windows account: useLogin="Windows" (added when missing), Integrated
	// Security=True in the connection string, and no User ID or Password.
	WindowsLogin bool
	// Databases selects databases by name (case-insensitively); empty
	// selects all.
	Databases []string
}

// Change is one attribute value Apply rewrote. Old and New are masked: a
// password never appears.
type Change struct {
	Database  string `json:"database"`
	Line      int    `json:"line"`
	Attribute string `json:"attribute"`
	Old       string `json:"old"`
	New       string `json:"new"`
}

// replacement is a change of the document text: [start, end) becomes text.
type replacement struct {
	start, end int
	text       []byte
}

// Apply makes the edit in the document and returns what changed (nothing
// when the file already is as asked). Bytes then returns the new file.
func (f *File) Apply(e Edit) ([]Change, error) {
	dbs := f.Databases()
	if len(dbs) == 0 {
		return nil, fmt.Errorf("%s: %w", f.name, ErrNoDatabases)
	}
	for _, want := range e.Databases {
		if !slices.ContainsFunc(dbs, func(d Database) bool { return strings.EqualFold(d.Name, want) }) {
			return nil, fmt.Errorf("%s: %w the name %q (databases: %s)", f.name, ErrNoMatch, want, names(dbs))
		}
	}
	for _, r := range e.Instances {
		if !slices.ContainsFunc(dbs, func(d Database) bool { return sameSource(d.ConnectionString.DataSource(), r.From) }) {
			return nil, fmt.Errorf("%s: %w Data Source %s", f.name, ErrNoMatch, r.From)
		}
	}
	var reps []replacement
	var changes []Change
	for _, d := range dbs {
		if len(e.Databases) > 0 && !slices.ContainsFunc(e.Databases, func(n string) bool { return strings.EqualFold(n, d.Name) }) {
			continue
		}
		if d.Err != nil {
			return nil, &position.Error{File: f.name, Line: int64(d.Line), Column: d.Column, Offset: int64(d.el.start),
				Err: fmt.Errorf("database %s: %w", d.Name, d.Err)}
		}
		r, c, err := f.editDatabase(d, e)
		if err != nil {
			return nil, err
		}
		reps, changes = append(reps, r...), append(changes, c...)
	}
	f.replace(reps)
	if len(reps) > 0 {
		// Re-read the new text: elements and offsets moved.
		nf, err := Parse(f.Bytes(), f.name)
		if err != nil {
			return nil, fmt.Errorf("the edited file does not read back: %w", err)
		}
		*f = *nf
	}
	return changes, nil
}

func names(dbs []Database) string {
	s := make([]string, len(dbs))
	for i, d := range dbs {
		s[i] = d.Name
	}
	return strings.Join(s, ", ")
}

func sameSource(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// editDatabase returns the replacements and changes of one database.
func (f *File) editDatabase(d Database, e Edit) ([]replacement, []Change, error) {
	cs := d.ConnectionString
	var csEdits []csEdit
	var appends []string // settings added at the end
	source, hasSource := cs.find("data source")
	target := ""
	for _, r := range e.Instances {
		if hasSource && sameSource(source.Value, r.From) {
			target = r.To
		}
	}
	if e.Server != "" {
		target = e.Server
	}
	if target != "" && !(hasSource && source.Value == target) {
		if hasSource {
			csEdits = append(csEdits, csEdit{source.st.ValueStart, source.st.ValueEnd, quoteValue(target)})
		} else {
			appends = append(appends, "Data Source="+quoteValue(target))
		}
	}
	if e.WindowsLogin {
		edits, add := windowsLoginEdits(cs)
		csEdits = append(csEdits, edits...)
		if add {
			appends = append(appends, "Integrated Security=True")
		}
	}
	var reps []replacement
	var changes []Change
	if len(csEdits)+len(appends) > 0 {
		newCS := applyCS(cs.raw, csEdits)
		tail := ""
		for _, a := range appends {
			add := separator(newCS) + a
			newCS, tail = newCS+add, tail+add
		}
		r, err := f.spliceAttr(d.el, "connectionString", csEdits, tail)
		if err != nil {
			return nil, nil, err
		}
		reps = append(reps, r)
		changes = append(changes, Change{Database: d.Name, Line: d.Line, Attribute: "connectionString",
			Old: maskedConnectionString(cs.raw), New: maskedConnectionString(newCS)})
	}
	if e.WindowsLogin && d.UseLogin != "Windows" {
		r, err := f.setAttr(d.el, "useLogin", "Windows")
		if err != nil {
			return nil, nil, err
		}
		reps = append(reps, r)
		changes = append(changes, Change{Database: d.Name, Line: d.Line, Attribute: "useLogin", Old: d.UseLogin, New: "Windows"})
	}
	return reps, changes, nil
}

// csEdit replaces [start, end) of a connection string.
type csEdit struct {
	start, end int
	text       string
}

func applyCS(s string, edits []csEdit) string {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b strings.Builder
	prev := 0
	for _, e := range edits {
		if e.start < prev {
			continue // overlapping (a removed pair inside another edit)
		}
		b.WriteString(s[prev:e.start])
		b.WriteString(e.text)
		prev = e.end
	}
	b.WriteString(s[prev:])
	return b.String()
}

// separator returns ";" unless s is empty or ends with one.
func separator(s string) string {
	t := strings.TrimRight(s, " \t")
	if t == "" || strings.HasSuffix(t, ";") {
		return ""
	}
	return ";"
}

// windowsLoginEdits set Integrated Security=True and remove User ID and
// Password (every spelling of them); add reports that Integrated Security
// must be added at the end.
func windowsLoginEdits(cs ConnectionString) (edits []csEdit, add bool) {
	is, ok := cs.find("integrated security")
	if ok && !cs.IntegratedSecurity() {
		edits = append(edits, csEdit{is.st.ValueStart, is.st.ValueEnd, "True"})
	}
	for _, p := range cs.Pairs {
		if isKeyword(p.Key, "user id") || isKeyword(p.Key, "password") {
			end := p.st.End // with its ";"
			if end < len(cs.raw) && cs.raw[end] == ';' {
				end++
			}
			edits = append(edits, csEdit{p.st.Start, end, ""})
		}
	}
	return edits, !ok
}

func isKeyword(key, keyword string) bool {
	return slices.ContainsFunc(synonyms[keyword], func(n string) bool { return strings.EqualFold(key, n) })
}

// setAttr returns the replacement that gives attribute name of el the value
// v (escaped for its quotes and the file's encoding), or inserts the
// attribute after the element's last one.
func (f *File) setAttr(el *element, name, v string) (replacement, error) {
	a, ok := findAttr(el, name)
	quote := byte('"')
	if ok {
		quote = a.quote
	}
	val, err := f.escape(v, quote)
	if err != nil {
		return replacement{}, err
	}
	if ok {
		return replacement{a.valueStart, a.valueEnd, val}, nil
	}
	at := el.start + 1 + len(el.name)
	if n := len(el.attrs); n > 0 {
		at = el.attrs[n-1].valueEnd + 1
	}
	text := append([]byte(" "+name+"=\""), val...)
	return replacement{at, at, append(text, '"')}, nil
}

// spliceAttr returns the replacement that makes edits (offsets into the
// attribute's value as read, references resolved) and appends tail to the
// value of attribute name of el. The raw text between the edits is kept as
// written: a character reference such as &#10; or &quot; that the edit does
// not touch stays that reference.
func (f *File) spliceAttr(el *element, name string, edits []csEdit, tail string) (replacement, error) {
	a, ok := findAttr(el, name)
	if !ok {
		return replacement{}, fmt.Errorf("%s: no attribute %s to edit", f.name, name)
	}
	raw := f.text[a.valueStart:a.valueEnd]
	_, rawAt := f.unescape(raw) // value offset -> raw offset
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out []byte
	prev := 0 // in the value as read
	for _, e := range edits {
		if e.start < prev {
			continue // overlapping (a removed pair inside another edit)
		}
		text, err := f.escape(e.text, a.quote)
		if err != nil {
			return replacement{}, err
		}
		out = append(append(out, raw[rawAt[prev]:rawAt[e.start]]...), text...)
		prev = e.end
	}
	out = append(out, raw[rawAt[prev]:]...)
	text, err := f.escape(tail, a.quote)
	if err != nil {
		return replacement{}, err
	}
	return replacement{a.valueStart, a.valueEnd, append(out, text...)}, nil
}

// ErrCharacter is the cause of a new value holding a character that XML 1.0
// cannot hold at all, not even as a character reference (a control
// character other than tab, line feed and carriage return; U+FFFE, U+FFFF).
var ErrCharacter = errors.New("a character XML 1.0 cannot hold")

// escape writes v as an attribute value delimited by quote (W3C XML 1.0,
// 2.3 AttValue and 3.3.3 attribute-value normalization): '&', '<' and the
// quote as references; tab, line feed and carriage return as character
// references, since a reader turns them into spaces when written as they
// are; characters the file's encoding lacks as character references.
func (f *File) escape(v string, quote byte) ([]byte, error) {
	cm := f.singleByte()
	var b []byte
	for _, r := range v {
		switch {
		case !isXMLChar(r):
			return nil, fmt.Errorf("%w: U+%04X in %q", ErrCharacter, r, v)
		case r == '\t' || r == '\n' || r == '\r':
			b = fmt.Appendf(b, "&#%d;", r)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '"' && quote == '"':
			b = append(b, "&quot;"...)
		case r == '\'' && quote == '\'':
			b = append(b, "&apos;"...)
		case r < 0x80:
			b = append(b, byte(r))
		case cm != nil:
			if c, ok := cm.EncodeRune(r); ok {
				b = append(b, c)
			} else {
				b = fmt.Appendf(b, "&#x%X;", r)
			}
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b, nil
}

// replace applies replacements (non-overlapping) to the text.
func (f *File) replace(reps []replacement) {
	if len(reps) == 0 {
		return
	}
	sort.Slice(reps, func(i, j int) bool { return reps[i].start < reps[j].start })
	var out []byte
	prev := 0
	for _, r := range reps {
		out = append(out, f.text[prev:r.start]...)
		out = append(out, r.text...)
		prev = r.end
	}
	f.text = append(out, f.text[prev:]...)
}

// Bytes returns the file as it is now: the original bytes where nothing
// changed, in the original encoding with its byte order mark.
func (f *File) Bytes() []byte {
	switch f.enc {
	case "utf-16le", "utf-16be":
		order := unicode.LittleEndian
		if f.enc == "utf-16be" {
			order = unicode.BigEndian
		}
		b, _ := unicode.UTF16(order, unicode.IgnoreBOM).NewEncoder().Bytes(f.text)
		return append(append([]byte(nil), f.bom...), b...)
	}
	return append(append([]byte(nil), f.bom...), f.text...)
}
