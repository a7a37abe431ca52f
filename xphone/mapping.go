package xphone

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/xdm-migrate/xdm/position"
)

// Mandatory V9 attributes: a row missing one of them is not written.
var Mandatory = []string{"ID", "firstname", "name", "account"}

// Column maps one source column of the V4 users.csv to a V9 attribute.
type Column struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// Constant is a V9 attribute with the same value in every row.
type Constant struct {
	Target string `json:"target"`
	Value  string `json:"value"`
}

// Mapping says which V4 columns become which V9 attributes. The zero value
// is not useful; start from DefaultMapping or LoadMapping.
type Mapping struct {
	// Columns in output order. A column whose source is not in the input's
	// header is left out of the output (an error for a mandatory target).
	Columns []Column `json:"columns"`
	// Constants come after Columns.
	Constants []Constant `json:"constants,omitempty"`
	// KeepUnmapped carries source columns that no Column names through under
	// their own name, after Columns and before Constants. By default they are
	// dropped.
	KeepUnmapped bool `json:"keep_unmapped,omitempty"`
	// PhoneColumns are the targets whose values are phone numbers.
	PhoneColumns []string `json:"phone_columns"`
	// KeyColumn is the source column whose value names the user's folder
	// voicemail/<UserKey>/ in the export.
	KeyColumn string `json:"key_column"`
}

// DefaultMapping is the mapping of the format reference.
func DefaultMapping() Mapping {
	return Mapping{
		Columns: []Column{
			{"UserKey", "ID"},
			{"FirstName", "firstname"},
			{"LastName", "name"},
			{"Login", "account"},
			{"Email", "email"},
			{"Phone", "phone"},
			{"Mobile", "mobile"},
			{"Fax", "fax"},
			{"Department", "department"},
		},
		PhoneColumns: []string{"phone", "mobile", "fax"},
		KeyColumn:    "UserKey",
	}
}

// mappingKeys are the settings of a mapping file.
var mappingKeys = []string{"replace_defaults", "columns", "constants", "unmapped", "phone_columns", "key_column"}

// LoadMapping reads a YAML mapping file and applies it to DefaultMapping.
// columns and constants are lists (which keep their order) or maps
// (columns: {Department: company}; applied sorted by key, compared without
// case):
//
//	columns:            # each entry overrides the default for its source column,
//	  - source: Department   # or is appended; an empty target drops the column
//	    target: company
//	  - source: Fax
//	    target: ""
//	  - source: CostCenter
//	    target: costcenter
//	constants:
//	  - target: location
//	    value: Munich
//	unmapped: keep      # or drop (default): source columns no entry names
//	phone_columns: [phone, mobile, fax]
//	key_column: UserKey
//	replace_defaults: false   # true: start from no columns at all
//
// The file is read strictly: an unknown setting or entry key is an error.
// Values are taken as written (a constant 089 stays "089"). Errors at a place
// in the file are a *position.Error (without the file name, which the caller
// adds with position.In); all errors wrap ErrMapping.
func LoadMapping(r io.Reader) (Mapping, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil && err != io.EOF {
		return Mapping{}, yamlError(err)
	}
	m := DefaultMapping()
	var f mappingFile
	if len(doc.Content) > 0 {
		if err := f.read(doc.Content[0]); err != nil {
			return Mapping{}, err
		}
	}
	if f.replaceDefaults {
		m.Columns = nil
	}
	// at is the entry of the file that last produced or dropped each
	// target, where a problem with that target is reported.
	at := map[string]*yaml.Node{}
	for _, p := range f.columns {
		c := Column{Source: p.a, Target: p.b}
		if c.Source == "" {
			return Mapping{}, mappingError(p.node, "columns: an entry without source")
		}
		j := slices.IndexFunc(m.Columns, func(d Column) bool { return strings.EqualFold(d.Source, c.Source) })
		switch {
		case j >= 0 && c.Target == "":
			at[strings.ToLower(m.Columns[j].Target)] = p.node
			m.Columns = slices.Delete(m.Columns, j, j+1)
		case j >= 0:
			m.Columns[j] = c
		case c.Target != "":
			m.Columns = append(m.Columns, c)
		}
		if c.Target != "" {
			at[strings.ToLower(c.Target)] = p.node
		}
	}
	for _, p := range f.constants {
		m.Constants = append(m.Constants, Constant{Target: p.a, Value: p.b})
		at[strings.ToLower(p.a)] = p.node
	}
	m.KeepUnmapped = f.keepUnmapped
	if f.phoneColumns != nil {
		m.PhoneColumns = *f.phoneColumns
	}
	if f.keyColumn != "" {
		m.KeyColumn = f.keyColumn
	}
	return m, m.validate(func(target string) *yaml.Node { return at[strings.ToLower(target)] })
}

// yamlLine finds the line yaml names in a syntax error.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError turns a YAML syntax error into a *position.Error at the line
// the parser names (it knows no column), wrapping ErrMapping.
func yamlError(err error) error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return fmt.Errorf("%w: %v", ErrMapping, err)
	}
	line, _ := strconv.ParseInt(m[1], 10, 64)
	return &position.Error{Line: line, Offset: -1, Err: fmt.Errorf("%w: %s", ErrMapping, msg[len(m[0]):])}
}

// ErrMapping is wrapped by every error of LoadMapping and Mapping.Validate.
var ErrMapping = errors.New("invalid mapping")

// mappingFile is what a mapping file says.
type mappingFile struct {
	replaceDefaults, keepUnmapped bool
	columns, constants            []pair
	phoneColumns                  *[]string
	keyColumn                     string
}

// pair is an entry of columns ({source, target}) or constants ({target, value}).
type pair struct {
	a, b string
	node *yaml.Node
}

// read reads the top-level mapping of the file.
func (f *mappingFile) read(top *yaml.Node) error {
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return nil
	}
	if top.Kind != yaml.MappingNode {
		return mappingError(top, "expected settings (name: value), found %s", nodeKind(top))
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, val := top.Content[i], top.Content[i+1]
		var err error
		switch key.Value {
		case "replace_defaults":
			err = decodeValue(val, key.Value, &f.replaceDefaults)
		case "columns":
			f.columns, err = pairs(key.Value, val, "source", "target")
		case "constants":
			f.constants, err = pairs(key.Value, val, "target", "value")
		case "unmapped":
			var s string
			if err = decodeValue(val, key.Value, &s); err == nil {
				switch strings.ToLower(s) {
				case "", "drop":
				case "keep":
					f.keepUnmapped = true
				default:
					err = mappingError(val, "unmapped: %q (keep or drop expected)", s)
				}
			}
		case "phone_columns":
			f.phoneColumns = new([]string)
			err = decodeValue(val, key.Value, f.phoneColumns)
		case "key_column":
			f.keyColumn, err = scalar(key.Value, val)
		default:
			err = mappingError(key, "unknown setting %q (known: %s)", key.Value, strings.Join(mappingKeys, ", "))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// pairs reads a list of {a: x, b: y} entries, or a map x: y, which is
// applied sorted by key without case (YAML maps have no order).
func pairs(setting string, v *yaml.Node, a, b string) ([]pair, error) {
	var out []pair
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag != "!!null" {
			return nil, mappingError(v, "%s: a list or a map expected, found %s", setting, nodeKind(v))
		}
	case yaml.SequenceNode:
		for i, e := range v.Content {
			if e.Kind != yaml.MappingNode {
				return nil, mappingError(e, "%s[%d]: {%s: ..., %s: ...} expected, found %s", setting, i, a, b, nodeKind(e))
			}
			p := pair{node: e}
			for k := 0; k+1 < len(e.Content); k += 2 {
				key := e.Content[k]
				s, err := scalar(fmt.Sprintf("%s[%d].%s", setting, i, key.Value), e.Content[k+1])
				switch {
				case err != nil:
					return nil, err
				case key.Value == a:
					p.a = s
				case key.Value == b:
					p.b = s
				default:
					return nil, mappingError(key, "%s[%d]: unknown key %q (%s and %s expected)", setting, i, key.Value, a, b)
				}
			}
			out = append(out, p)
		}
	case yaml.MappingNode:
		for k := 0; k+1 < len(v.Content); k += 2 {
			key := v.Content[k]
			s, err := scalar(setting+"."+key.Value, v.Content[k+1])
			if err != nil {
				return nil, err
			}
			out = append(out, pair{a: key.Value, b: s, node: key})
		}
		slices.SortStableFunc(out, func(x, y pair) int { return strings.Compare(strings.ToLower(x.a), strings.ToLower(y.a)) })
	default:
		return nil, mappingError(v, "%s: a list or a map expected, found %s", setting, nodeKind(v))
	}
	return out, nil
}

// scalar returns a scalar value as written; null is "".
func scalar(setting string, v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", mappingError(v, "%s: a single value expected, found %s", setting, nodeKind(v))
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return v.Value, nil
}

// decodeValue decodes v into dst, wording a type mismatch.
func decodeValue(v *yaml.Node, setting string, dst any) error {
	if err := v.Decode(dst); err != nil {
		return mappingError(v, "%s: %s is not a valid value", setting, nodeKind(v))
	}
	return nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	case yaml.AliasNode:
		return "an alias"
	}
	return strconv.Quote(n.Value)
}

// mappingError is a problem at node n of the mapping file.
func mappingError(n *yaml.Node, format string, args ...any) error {
	return &position.Error{Line: int64(n.Line), Column: n.Column, Offset: -1,
		Err: fmt.Errorf("%w: %s", ErrMapping, fmt.Sprintf(format, args...))}
}

// Validate checks that every mandatory attribute has a source and that no
// attribute is produced twice.
func (m Mapping) Validate() error { return m.validate(nil) }

// validate is Validate, placing each problem with a target at the node at
// returns for it (a mapping file's entry), when there is one.
func (m Mapping) validate(at func(target string) *yaml.Node) error {
	problem := func(target, format string, args ...any) error {
		if at != nil {
			if n := at(target); n != nil {
				return mappingError(n, format, args...)
			}
		}
		return fmt.Errorf("%w: %s", ErrMapping, fmt.Sprintf(format, args...))
	}
	seen := map[string]bool{}
	add := func(t string) error {
		if t == "" {
			return fmt.Errorf("%w: empty target name", ErrMapping)
		}
		if seen[strings.ToLower(t)] {
			return problem(t, "attribute %q is produced twice", t)
		}
		seen[strings.ToLower(t)] = true
		return nil
	}
	for _, c := range m.Columns {
		if err := add(c.Target); err != nil {
			return err
		}
	}
	for _, c := range m.Constants {
		if err := add(c.Target); err != nil {
			return err
		}
	}
	for _, t := range Mandatory {
		if !seen[strings.ToLower(t)] {
			return problem(t, "no column for the mandatory attribute %s", t)
		}
	}
	return nil
}
