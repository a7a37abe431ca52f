package registry

import (
	"cmp"
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/reg"
	"github.com/xdm-migrate/xdm/position"
)

// DiffOptions control Diff. The zero value compares every key as written.
type DiffOptions struct {
	// OldName and NewName name the inputs in errors.
	OldName, NewName string
	// FoldWow64 compares HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\X as
	// HKEY_LOCAL_MACHINE\SOFTWARE\X, so that an export of the 32-bit view
	// compares with one of the 64-bit view.
	FoldWow64 bool
	// Keys, if set, limits the comparison to the keys these patterns select
	// (see CompilePatterns).
	Keys []string
}

// ChangeType is how an entry differs.
type ChangeType string

const (
	Added   ChangeType = "added"
	Removed ChangeType = "removed"
	Changed ChangeType = "changed"
)

// KeyDiff is a key line in only one of the files, or one that deletes the
// key ([-KEY]) in one file and not in the other.
type KeyDiff struct {
	// Key is the path as the new file writes it (the old one for a removed
	// key).
	Key    string     `json:"key"`
	Change ChangeType `json:"change"`
	// OldDelete and NewDelete report key deletions [-KEY] (Changed).
	OldDelete bool `json:"old_delete,omitempty"`
	NewDelete bool `json:"new_delete,omitempty"`
	// OldLine and NewLine are where the key is (0 when it is not).
	OldLine int64 `json:"old_line,omitempty"`
	NewLine int64 `json:"new_line,omitempty"`
}

// ValueDiff is a value in only one of the files, or with other data.
type ValueDiff struct {
	Key string `json:"key"`
	// Name is the value's name, "" for the default value.
	Name    string     `json:"name"`
	Change  ChangeType `json:"change"`
	Old     *Data      `json:"old,omitempty"`
	New     *Data      `json:"new,omitempty"`
	OldLine int64      `json:"old_line,omitempty"`
	NewLine int64      `json:"new_line,omitempty"`
}

// Differences are what Diff found, keys and values each sorted by key path
// (without regard to case) and name.
type Differences struct {
	Keys   []KeyDiff   `json:"keys"`
	Values []ValueDiff `json:"values"`
}

// Equal reports whether the files were found the same.
func (d *Differences) Equal() bool { return len(d.Keys) == 0 && len(d.Values) == 0 }

// Diff compares two .reg files as sets of keys and values: key paths and
// value names without regard to case, as Windows compares them, and data as
// regedit would store it, so that a REGEDIT4 file compares with a version
// 5.00 one and "text" with the same text as hex(1). A key or value written
// twice counts as the later one. Order, comments, blank lines and line
// breaks do not count. Both files are read whole into memory (their values,
// not their bytes); a record that does not fit the format stops the
// comparison with its *position.Error.
func Diff(ctx context.Context, old, new io.Reader, opts DiffOptions) (Differences, error) {
	var d Differences
	pats, err := CompilePatterns(opts.Keys, opts.FoldWow64)
	if err != nil {
		return d, errors.Join(ErrKeyPath, err)
	}
	a, err := load(ctx, old, opts.OldName, opts.FoldWow64, pats)
	if err != nil {
		return d, err
	}
	b, err := load(ctx, new, opts.NewName, opts.FoldWow64, pats)
	if err != nil {
		return d, err
	}
	for k, bk := range b.keys {
		ak, ok := a.keys[k]
		switch {
		case !ok:
			d.Keys = append(d.Keys, KeyDiff{Key: bk.path, Change: Added, NewDelete: bk.delete, NewLine: bk.line})
		case ak.delete != bk.delete:
			d.Keys = append(d.Keys, KeyDiff{Key: bk.path, Change: Changed, OldDelete: ak.delete, NewDelete: bk.delete, OldLine: ak.line, NewLine: bk.line})
		}
	}
	for k, ak := range a.keys {
		if _, ok := b.keys[k]; !ok {
			d.Keys = append(d.Keys, KeyDiff{Key: ak.path, Change: Removed, OldDelete: ak.delete, OldLine: ak.line})
		}
	}
	for k, bv := range b.values {
		av, ok := a.values[k]
		nd := Decode(bv.value)
		switch {
		case !ok:
			d.Values = append(d.Values, ValueDiff{Key: bv.key, Name: bv.value.Name, Change: Added, New: &nd, NewLine: bv.line})
		case !Equal(av.value, bv.value):
			od := Decode(av.value)
			if od.String() == nd.String() {
				// Different data that reads the same (bytes after a
				// string's end, a missing terminator): show the bytes.
				od, nd = hexData(av.value), hexData(bv.value)
			}
			d.Values = append(d.Values, ValueDiff{Key: bv.key, Name: bv.value.Name, Change: Changed, Old: &od, New: &nd, OldLine: av.line, NewLine: bv.line})
		}
	}
	for k, av := range a.values {
		if _, ok := b.values[k]; !ok {
			od := Decode(av.value)
			d.Values = append(d.Values, ValueDiff{Key: av.key, Name: av.value.Name, Change: Removed, Old: &od, OldLine: av.line})
		}
	}
	slices.SortFunc(d.Keys, func(x, y KeyDiff) int {
		return cmp.Compare(canonical(x.Key, opts.FoldWow64), canonical(y.Key, opts.FoldWow64))
	})
	slices.SortFunc(d.Values, func(x, y ValueDiff) int {
		return cmp.Or(cmp.Compare(canonical(x.Key, opts.FoldWow64), canonical(y.Key, opts.FoldWow64)),
			cmp.Compare(strings.ToUpper(x.Name), strings.ToUpper(y.Name)))
	})
	return d, nil
}

type keyEntry struct {
	path   string
	delete bool
	line   int64
}

type valueEntry struct {
	key   string
	value *reg.Value
	line  int64
}

// loaded are the keys and values of a file by canonical key path (and
// upper-case value name).
type loaded struct {
	keys   map[string]keyEntry
	values map[[2]string]valueEntry
}

func load(ctx context.Context, r io.Reader, name string, fold bool, pats Patterns) (loaded, error) {
	l := loaded{keys: map[string]keyEntry{}, values: map[[2]string]valueEntry{}}
	rd := reg.NewReader(r, name)
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return l, err
			}
		}
		rec, err := rd.Read()
		if err == io.EOF {
			return l, nil
		}
		if err != nil {
			var pe *position.Error
			if errors.As(err, &pe) {
				return l, pe
			}
			return l, err
		}
		if (rec.Kind != reg.KindKey && rec.Kind != reg.KindValue) || !pats.Match(rec.Key) {
			continue
		}
		k := canonical(rec.Key, fold)
		if rec.Kind == reg.KindKey {
			l.keys[k] = keyEntry{path: rec.Key, delete: rec.Delete, line: rec.Line}
			continue
		}
		l.values[[2]string{k, strings.ToUpper(rec.Value.Name)}] = valueEntry{key: rec.Key, value: rec.Value, line: rec.Line}
	}
}
