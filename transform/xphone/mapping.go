package xphone

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/viper"
)

// Mandatory V9 attributes: a row missing one of them is not written.
var Mandatory = []string{"ID", "firstname", "name", "account"}

// Column maps one source column of the V4 users.csv to a V9 attribute.
type Column struct {
	Source string `mapstructure:"source" json:"source"`
	Target string `mapstructure:"target" json:"target"`
}

// Constant is a V9 attribute with the same value in every row.
type Constant struct {
	Target string `mapstructure:"target" json:"target"`
	Value  string `mapstructure:"value" json:"value"`
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

// mappingFile is the YAML layout of a mapping file.
type mappingFile struct {
	ReplaceDefaults bool     `mapstructure:"replace_defaults"`
	Columns         any      `mapstructure:"columns"`   // list of {source, target}, or a map source: target
	Constants       any      `mapstructure:"constants"` // list of {target, value}, or a map target: value
	Unmapped        string   `mapstructure:"unmapped"`
	PhoneColumns    []string `mapstructure:"phone_columns"`
	KeyColumn       string   `mapstructure:"key_column"`
}

// pairs reads a list of {a: x, b: y} entries or a map x: y as [][2]string.
// The map form is sorted by key (YAML maps have no order).
func pairs(setting string, v any, a, b string) ([][2]string, error) {
	var out [][2]string
	switch x := v.(type) {
	case nil:
	case []any:
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("mapping: %s[%d]: {%s: ..., %s: ...} expected", setting, i, a, b)
			}
			for k := range m {
				if k != a && k != b {
					return nil, fmt.Errorf("mapping: %s[%d]: unknown key %q (%s and %s expected)", setting, i, k, a, b)
				}
			}
			out = append(out, [2]string{str(m[a]), str(m[b])})
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, [2]string{k, str(x[k])})
		}
	default:
		return nil, fmt.Errorf("mapping: %s: a list or a map expected", setting)
	}
	return out, nil
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

var mappingKeys = []string{"replace_defaults", "columns", "constants", "unmapped", "phone_columns", "key_column"}

// LoadMapping reads a YAML mapping file and applies it to DefaultMapping.
// columns and constants are lists (which keep their order) or maps
// (columns: {Department: company}; sorted by key, and viper lowercases map
// keys, which is harmless: source columns match case-insensitively):
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
func LoadMapping(r io.Reader) (Mapping, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(r); err != nil {
		return Mapping{}, fmt.Errorf("mapping: %w", err)
	}
	for _, k := range v.AllKeys() {
		top, _, _ := strings.Cut(k, ".")
		if !slices.Contains(mappingKeys, top) {
			return Mapping{}, fmt.Errorf("mapping: unknown setting %q (known: %s)", k, strings.Join(mappingKeys, ", "))
		}
	}
	var f mappingFile
	if err := v.Unmarshal(&f); err != nil {
		return Mapping{}, fmt.Errorf("mapping: %w", err)
	}
	cols, err := pairs("columns", f.Columns, "source", "target")
	if err != nil {
		return Mapping{}, err
	}
	consts, err := pairs("constants", f.Constants, "target", "value")
	if err != nil {
		return Mapping{}, err
	}
	m := DefaultMapping()
	if f.ReplaceDefaults {
		m.Columns = nil
	}
	for i, p := range cols {
		c := Column{Source: p[0], Target: p[1]}
		if c.Source == "" {
			return Mapping{}, fmt.Errorf("mapping: columns[%d]: no source", i)
		}
		j := slices.IndexFunc(m.Columns, func(d Column) bool { return strings.EqualFold(d.Source, c.Source) })
		switch {
		case j >= 0 && c.Target == "":
			m.Columns = slices.Delete(m.Columns, j, j+1)
		case j >= 0:
			m.Columns[j] = c
		case c.Target != "":
			m.Columns = append(m.Columns, c)
		}
	}
	for _, p := range consts {
		m.Constants = append(m.Constants, Constant{Target: p[0], Value: p[1]})
	}
	switch strings.ToLower(f.Unmapped) {
	case "", "drop":
	case "keep":
		m.KeepUnmapped = true
	default:
		return Mapping{}, fmt.Errorf("mapping: unmapped: %q (keep or drop expected)", f.Unmapped)
	}
	if v.IsSet("phone_columns") {
		m.PhoneColumns = f.PhoneColumns
	}
	if f.KeyColumn != "" {
		m.KeyColumn = f.KeyColumn
	}
	return m, m.Validate()
}

// Validate checks that every mandatory attribute has a source and that no
// attribute is produced twice.
func (m Mapping) Validate() error {
	seen := map[string]bool{}
	add := func(t string) error {
		if t == "" {
			return fmt.Errorf("mapping: empty target name")
		}
		if seen[strings.ToLower(t)] {
			return fmt.Errorf("mapping: attribute %q is produced twice", t)
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
			return fmt.Errorf("mapping: no column for the mandatory attribute %s", t)
		}
	}
	return nil
}
