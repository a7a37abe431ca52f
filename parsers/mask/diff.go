package mask

import (
	"sort"
)

// Change is what happened to a field or a mask between two mask exports.
type Change string

// The kinds of change.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// FieldDiff is one field that differs between the old and the new export.
type FieldDiff struct {
	Mask   string `json:"mask"`
	Field  string `json:"field"`
	Change Change `json:"change"`
	// Custom is set when the field is CUSTOM in either export: a field the
	// administrator must carry over by hand.
	Custom bool `json:"custom"`
	// What lists what changed: "type", "length", "flags", "default".
	What []string `json:"what,omitempty"`
	// Old and New are the field's definitions (Old is nil when added, New
	// when removed), as FIELD lines declare them.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
}

// MaskDiff is a mask added, removed, or whose VERSION changed.
type MaskDiff struct {
	Mask       string `json:"mask"`
	Change     Change `json:"change"`
	OldVersion int    `json:"old_version,omitempty"`
	NewVersion int    `json:"new_version,omitempty"`
}

// Differences lists what differs between two mask exports. Fields lists CUSTOM
// fields first, then the others, each group in the order of the masks and
// fields in the files (old file first for removed ones).
type Differences struct {
	Masks  []MaskDiff  `json:"masks"`
	Fields []FieldDiff `json:"fields"`
}

// Equal reports whether the two exports define the same masks and fields.
func (d Differences) Equal() bool { return len(d.Masks) == 0 && len(d.Fields) == 0 }

// Custom returns the entries of Fields that concern CUSTOM fields.
func (d Differences) Custom() []FieldDiff {
	var out []FieldDiff
	for _, f := range d.Fields {
		if f.Custom {
			out = append(out, f)
		}
	}
	return out
}

// Diff compares two mask exports: masks and fields added and removed,
// VERSION changes, and fields whose type, length, flags or default changed.
// Names are compared case-insensitively. The fields of an added or removed
// mask are listed as added or removed too.
func Diff(old, new *File) Differences {
	var d Differences
	for _, om := range old.Masks {
		nm := new.Mask(om.Name)
		switch {
		case nm == nil:
			d.Masks = append(d.Masks, MaskDiff{Mask: om.Name, Change: Removed, OldVersion: om.Version})
			d.Fields = appendAll(d.Fields, om, Removed)
		case nm.Version != om.Version:
			d.Masks = append(d.Masks, MaskDiff{Mask: om.Name, Change: Changed, OldVersion: om.Version, NewVersion: nm.Version})
		}
		if nm != nil {
			d.Fields = compareFields(d.Fields, om, nm)
		}
	}
	for _, nm := range new.Masks {
		if old.Mask(nm.Name) == nil {
			d.Masks = append(d.Masks, MaskDiff{Mask: nm.Name, Change: Added, NewVersion: nm.Version})
			d.Fields = appendAll(d.Fields, nm, Added)
		}
	}
	sort.SliceStable(d.Fields, func(i, j int) bool { return d.Fields[i].Custom && !d.Fields[j].Custom })
	return d
}

func appendAll(out []FieldDiff, m *Mask, c Change) []FieldDiff {
	for _, f := range m.Fields {
		fd := FieldDiff{Mask: m.Name, Field: f.Name, Change: c, Custom: f.Custom()}
		if c == Removed {
			fd.Old = f.String()
		} else {
			fd.New = f.String()
		}
		out = append(out, fd)
	}
	return out
}

func compareFields(out []FieldDiff, om, nm *Mask) []FieldDiff {
	for _, of := range om.Fields {
		nf := nm.Field(of.Name)
		if nf == nil {
			out = append(out, FieldDiff{Mask: om.Name, Field: of.Name, Change: Removed, Custom: of.Custom(), Old: of.String()})
			continue
		}
		var what []string
		if of.Type != nf.Type {
			what = append(what, "type")
		}
		if of.Length != nf.Length {
			what = append(what, "length")
		}
		if of.Flags != nf.Flags {
			what = append(what, "flags")
		}
		if of.HasDefault != nf.HasDefault || of.Default != nf.Default {
			what = append(what, "default")
		}
		if len(what) > 0 {
			out = append(out, FieldDiff{Mask: om.Name, Field: of.Name, Change: Changed, What: what,
				Custom: of.Custom() || nf.Custom(), Old: of.String(), New: nf.String()})
		}
	}
	for _, nf := range nm.Fields {
		if om.Field(nf.Name) == nil {
			out = append(out, FieldDiff{Mask: nm.Name, Field: nf.Name, Change: Added, Custom: nf.Custom(), New: nf.String()})
		}
	}
	return out
}
