package registry

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// DefaultRenameSubtrees are the subtrees RenameHost works in when none are
// given: the two the XPR cluster manual names. "In all other registry
// folders the local computer name must definitely be maintained."
var DefaultRenameSubtrees = []string{
	`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\SIEMENS`,
	`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM`,
}

// RenameOptions control RenameHost. From and To are required.
type RenameOptions struct {
	// Name names the input in errors.
	Name string
	// From is the host name to replace (the cluster node's), To the name
	// put in its place (the cluster's network name).
	From, To string
	// Under are the subtrees to work in (HKLM and the other abbreviations
	// allowed); empty means DefaultRenameSubtrees.
	Under []string
	// DropLineOf are host names whose elements of multi-string values are
	// removed rather than renamed: the manual's "Monitor Directory", where
	// the node's \\NODE\MrsMonitor line goes and the others stay.
	DropLineOf []string
	// Forbid are names To must not be: the manual forbids putting the
	// application's name in.
	Forbid []string
	// Progress, if set, is called with the bytes read so far.
	Progress func(read int64)
	// OnChange, if set, is called for every change, in file order.
	OnChange func(Change)
}

// ChangeKind says what part of an entry a Change is in.
type ChangeKind string

const (
	// KeyPathChange: a key path (a key line or a key deletion).
	KeyPathChange ChangeKind = "key path"
	// ValueNameChange: the name of a value.
	ValueNameChange ChangeKind = "value name"
	// DataChange: string data, or one element of a multi-string.
	DataChange ChangeKind = "data"
	// ElementDropped: an element of a multi-string removed (DropLineOf).
	ElementDropped ChangeKind = "element dropped"
)

// Change is one replacement RenameHost made.
type Change struct {
	Line int64      `json:"line"`
	Key  string     `json:"key"`
	Kind ChangeKind `json:"kind"`
	// Value is the name of the value changed ("" for the default value);
	// empty for a key path change.
	Value string `json:"value,omitempty"`
	Old   string `json:"old"`
	New   string `json:"new,omitempty"`
}

// RenameReport says what RenameHost did.
type RenameReport struct {
	Encoding reg.Encoding `json:"encoding"`
	Version  reg.Version  `json:"version"`
	// Keys and Values count the key and value lines read; KeysInScope and
	// ValuesInScope those below the subtrees.
	Keys          int `json:"keys"`
	Values        int `json:"values"`
	KeysInScope   int `json:"keys_in_scope"`
	ValuesInScope int `json:"values_in_scope"`
	// Changes counts the changes (each passed to OnChange); Dropped the
	// multi-string elements among them that were removed.
	Changes int `json:"changes"`
	Dropped int `json:"dropped"`
	// Skipped are values in scope whose text could not be read without
	// loss (UTF-16 with an unpaired surrogate): left as they are.
	Skipped []string `json:"skipped,omitempty"`
	Read    int64    `json:"read"`
	Written int64    `json:"written"`
}

// RenameHost copies the .reg file r to w and, below the subtrees only,
// replaces the host name From by To wherever it stands as a whole word
// (without regard to case): in key paths, value names, and the data of
// REG_SZ, REG_EXPAND_SZ and REG_MULTI_SZ values however written (a quoted
// string, hex(1), hex(2), hex(7)). A word is a run of letters, digits, '-'
// and '_': TLCLKN1 is found in \\TLCLKN1\MrsMonitor and tlclkn1.corp.local,
// not in TLCLKN10 or TLCLKN1-B. Elements of a multi-string that name a host
// of DropLineOf are removed instead. Key lines keep every other byte; a
// changed value is written again as regedit exports it.
//
// It refuses (ErrForbiddenName) a To that Forbid names, and (ErrHostName)
// an empty or odd From or To. The whole input is checked against the format;
// the first record that does not fit stops the copy with its
// *position.Error.
func RenameHost(ctx context.Context, r io.Reader, w io.Writer, opts RenameOptions) (RenameReport, error) {
	var rep RenameReport
	ren, err := newRenamer(opts)
	if err != nil {
		return rep, err
	}
	note := func(c Change) {
		rep.Changes++
		if c.Kind == ElementDropped {
			rep.Dropped++
		}
		if opts.OnChange != nil {
			opts.OnChange(c)
		}
	}
	s := stream{name: opts.Name, progress: opts.Progress}
	in, err := s.run(ctx, r, w, func(rec *reg.Record, out *reg.Writer) error {
		switch rec.Kind {
		case reg.KindHeader:
			// An ANSI file holds only its code page: a name outside it
			// could not be written anywhere.
			if _, ok := rec.Encoding().Append(nil, ren.to); !ok {
				return fmt.Errorf("%w: %q cannot be written in this %s file", ErrHostName, ren.to, rec.Encoding())
			}
		case reg.KindKey:
			rep.Keys++
			if !ren.inScope(rec.Key) {
				break
			}
			rep.KeysInScope++
			if to, ok := ren.replace(rec.Key); ok {
				changed, err := rec.WithKey(to)
				if err != nil {
					return err
				}
				note(Change{Line: rec.Line, Key: rec.Key, Kind: KeyPathChange, Old: rec.Key, New: to})
				return out.WriteRecord(changed)
			}
		case reg.KindValue:
			rep.Values++
			if !ren.inScope(rec.Key) {
				break
			}
			rep.ValuesInScope++
			v, changes, ok := ren.value(rec)
			if !ok {
				rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s:%d: [%s] %q", opts.Name, rec.Line, rec.Key, rec.Value.Name))
				break
			}
			if len(changes) > 0 {
				for _, c := range changes {
					note(c)
				}
				return out.ReplaceValue(rec, v)
			}
		}
		return out.WriteRecord(rec)
	})
	rep.Encoding, rep.Version, rep.Read, rep.Written = in.encoding, in.version, in.read, in.written
	return rep, err
}

type renamer struct {
	from, to string
	drop     []string
	trees    []string // canonical
}

func newRenamer(o RenameOptions) (*renamer, error) {
	for _, h := range append([]string{o.From, o.To}, o.DropLineOf...) {
		if err := checkHost(h); err != nil {
			return nil, err
		}
	}
	if strings.EqualFold(o.From, o.To) {
		return nil, fmt.Errorf("%w: the name to replace and the new one are both %q", ErrHostName, o.From)
	}
	for _, f := range o.Forbid {
		if strings.EqualFold(strings.TrimSpace(f), o.To) {
			return nil, fmt.Errorf("%w: %q is among the names that must not be put in", ErrForbiddenName, o.To)
		}
	}
	ren := &renamer{from: o.From, to: o.To, drop: o.DropLineOf}
	trees := o.Under
	if len(trees) == 0 {
		trees = DefaultRenameSubtrees
	}
	for _, t := range trees {
		c, err := checkSubtree(t)
		if err != nil {
			return nil, err
		}
		ren.trees = append(ren.trees, c)
	}
	return ren, nil
}

// checkHost refuses a host name that is empty or holds a character that is
// not a word character (a letter, a digit, '-', '_').
func checkHost(h string) error {
	if h == "" {
		return fmt.Errorf("%w: empty host name", ErrHostName)
	}
	for _, c := range h {
		if !isWordRune(c) {
			return fmt.Errorf("%w: %q holds %q; a host name is letters, digits, '-' and '_'", ErrHostName, h, c)
		}
	}
	return nil
}

func (ren *renamer) inScope(key string) bool {
	c := canonical(key, false)
	return slices.ContainsFunc(ren.trees, func(t string) bool { return under(c, t) })
}

func (ren *renamer) replace(s string) (string, bool) { return replaceWord(s, ren.from, ren.to) }

// value returns the value of rec with its name and string data renamed and
// the changes made; ok is false when the data cannot be read as text
// without loss.
func (ren *renamer) value(rec *reg.Record) (v *reg.Value, changes []Change, ok bool) {
	old := rec.Value
	nv := *old
	add := func(kind ChangeKind, o, n string) {
		changes = append(changes, Change{Line: rec.Line, Key: rec.Key, Kind: kind, Value: old.Name, Old: o, New: n})
	}
	if name, changed := ren.replace(old.Name); changed {
		add(ValueNameChange, old.Name, name)
		nv.Name = name
	}
	switch {
	case !old.IsString():
	case old.Form == reg.FormString:
		if text, changed := ren.replace(old.Text); changed {
			add(DataChange, old.Text, text)
			nv.Text = text
		}
	default: // hex(1), hex(2), hex(7): text in the file's encoding
		text, ok := decodeLossless(old.Bytes, old.Encoding)
		if !ok {
			return old, nil, false
		}
		elems := strings.Split(text, "\x00")
		kept := elems[:0]
		for _, e := range elems {
			if old.Type == reg.RegMultiSZ && e != "" && slices.ContainsFunc(ren.drop, func(h string) bool { return containsWord(e, h) }) {
				add(ElementDropped, e, "")
				continue
			}
			if ne, changed := ren.replace(e); changed {
				add(DataChange, e, ne)
				e = ne
			}
			kept = append(kept, e)
		}
		if len(changes) > 0 {
			b, ok := old.Encoding.Append(nil, strings.Join(kept, "\x00"))
			if !ok {
				return old, nil, false
			}
			nv.Bytes = b
		}
	}
	return &nv, changes, true
}

// decodeLossless returns the text of string data in the file's encoding,
// and false when encoding the text again would not give the same bytes.
func decodeLossless(b []byte, enc reg.Encoding) (string, bool) {
	s := enc.Decode(b)
	back, ok := enc.Append(nil, s)
	return s, ok && string(back) == string(b)
}

func isWordRune(c rune) bool {
	return c == '-' || c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c)
}

// wordAt reports whether word (compared without regard to case) stands at
// byte i of s as a whole word, and returns the end of it.
func wordAt(s string, i int, word string) (int, bool) {
	if i > 0 {
		if c, _ := utf8.DecodeLastRuneInString(s[:i]); isWordRune(c) {
			return 0, false
		}
	}
	j := i
	for _, wc := range word {
		if j >= len(s) {
			return 0, false
		}
		c, size := utf8.DecodeRuneInString(s[j:])
		if c != wc && !strings.EqualFold(string(c), string(wc)) {
			return 0, false
		}
		j += size
	}
	if j < len(s) {
		if c, _ := utf8.DecodeRuneInString(s[j:]); isWordRune(c) {
			return 0, false
		}
	}
	return j, true
}

// replaceWord replaces every whole-word occurrence of from in s by to.
func replaceWord(s, from, to string) (string, bool) {
	var b strings.Builder
	last, changed := 0, false
	for i := 0; i < len(s); {
		if end, ok := wordAt(s, i, from); ok {
			b.WriteString(s[last:i])
			b.WriteString(to)
			i, last, changed = end, end, true
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if !changed {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

func containsWord(s, word string) bool {
	for i := 0; i < len(s); {
		if _, ok := wordAt(s, i, word); ok {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return false
}
