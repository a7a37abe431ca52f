package catalog

import (
	"fmt"
	"regexp"
	"strings"
)

// Fields that the scripter writes as keywords or numbers, not as bracketed
// names or literals, are checked so that a hand-written or damaged snapshot
// cannot put arbitrary text into a script. T-SQL fragments (defaults,
// checks, computed columns, filters, module bodies) are the server's own text
// and are written as they are.
var (
	reWord   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	reNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
)

func checkWord(what, v string) error {
	if v != "" && !reWord.MatchString(v) {
		return fmt.Errorf("%s %q is not a plain word", what, v)
	}
	return nil
}

func checkNumber(what, v string) error {
	if !reNumber.MatchString(v) {
		return fmt.Errorf("%s %q is not a number", what, v)
	}
	return nil
}

func checkOneOf(what, v string, allowed ...string) error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return nil
		}
	}
	return fmt.Errorf("%s %q is not one of %s", what, v, strings.Join(allowed, ", "))
}

func checkType(t Type) error {
	if t.IsUserDefined() {
		return nil // bracketed
	}
	return checkWord("type", t.Name)
}

var indexKinds = []string{"CLUSTERED", "NONCLUSTERED", "CLUSTERED COLUMNSTORE", "NONCLUSTERED COLUMNSTORE", "XML", "SPATIAL", "NONCLUSTERED HASH"}

func checkIndexOptions(o IndexOptions) error {
	return checkOneOf("data compression", o.DataCompression, "ROW", "PAGE", "COLUMNSTORE", "COLUMNSTORE_ARCHIVE")
}

var tessellations = []string{"GEOMETRY_GRID", "GEOGRAPHY_GRID", "GEOMETRY_AUTO_GRID", "GEOGRAPHY_AUTO_GRID"}

// checkIndex checks the keyword fields of an index, and that an XML or
// spatial index has what its CREATE statement needs.
func checkIndex(ix Index) error {
	errs := []error{checkOneOf("index kind", ix.Kind, indexKinds...), checkIndexOptions(ix.Options)}
	if ix.Kind == "" {
		errs = append(errs, fmt.Errorf("index %s has no kind", ix.Name))
	}
	if x := ix.XML; x != nil {
		if ix.Kind != "XML" || x.Using == "" || x.For == "" {
			errs = append(errs, fmt.Errorf("index %s: a secondary XML index needs kind XML, using and for", ix.Name))
		}
		errs = append(errs, checkOneOf("XML index for", x.For, "PATH", "VALUE", "PROPERTY"))
	}
	if sp := ix.Spatial; sp != nil {
		if ix.Kind != "SPATIAL" || sp.Tessellation == "" {
			errs = append(errs, fmt.Errorf("index %s: spatial settings need kind SPATIAL and a tessellation", ix.Name))
		}
		errs = append(errs, checkOneOf("tessellation", sp.Tessellation, tessellations...))
		geometry := strings.HasPrefix(strings.ToUpper(sp.Tessellation), "GEOMETRY")
		if geometry != (len(sp.BoundingBox) == 4) || (len(sp.BoundingBox) != 0 && len(sp.BoundingBox) != 4) {
			errs = append(errs, fmt.Errorf("index %s: a geometry index needs a bounding box of 4 numbers, a geography index none", ix.Name))
		}
		if len(sp.Grids) != 0 && len(sp.Grids) != 4 {
			errs = append(errs, fmt.Errorf("index %s: %d grid levels, want 4", ix.Name, len(sp.Grids)))
		}
		for _, g := range sp.Grids {
			errs = append(errs, checkOneOf("grid density", g, "LOW", "MEDIUM", "HIGH"))
		}
	} else if ix.Kind == "SPATIAL" {
		errs = append(errs, fmt.Errorf("index %s: a spatial index needs its spatial settings (tessellation)", ix.Name))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkColumns(cols []Column) error {
	for _, c := range cols {
		errs := []error{checkType(c.Type), checkWord("collation", c.Collation),
			checkOneOf("generatedAlways", c.GeneratedAlways, "ROW START", "ROW END")}
		if c.Identity != nil {
			errs = append(errs, checkNumber("identity seed", c.Identity.Seed), checkNumber("identity increment", c.Identity.Increment))
			if c.Identity.Last != "" {
				errs = append(errs, checkNumber("identity last value", c.Identity.Last))
			}
		}
		for _, err := range errs {
			if err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
		}
	}
	return nil
}

// validateTokens checks the keyword and number fields of the snapshot.
func (s *Snapshot) validateTokens() error {
	d := s.Database
	for _, err := range []error{checkWord("database collation", d.Collation), checkOneOf("recovery model", d.RecoveryModel, "FULL", "BULK_LOGGED", "SIMPLE")} {
		if err != nil {
			return err
		}
	}
	for _, sc := range d.ScopedConfigurations {
		if err := checkWord("scoped configuration", sc.Name); err != nil || sc.Name == "" {
			return fmt.Errorf("scoped configuration %q is not a plain word", sc.Name)
		}
	}
	for _, fg := range d.Filegroups {
		if err := checkOneOf("file group type", fg.Type, "ROWS", "FILESTREAM", "MEMORY_OPTIMIZED_DATA"); err != nil {
			return fmt.Errorf("file group %s: %w", fg.Name, err)
		}
	}
	for _, u := range s.Types {
		if u.Table == nil {
			if err := checkType(u.Base); err != nil {
				return fmt.Errorf("type %s.%s: %w", u.Schema, u.Name, err)
			}
		} else if err := checkColumns(u.Table.Columns); err != nil {
			return fmt.Errorf("type %s.%s: %w", u.Schema, u.Name, err)
		}
	}
	for _, q := range s.Sequences {
		errs := []error{checkType(q.Type), checkNumber("start", q.Start), checkNumber("increment", q.Increment), checkNumber("min", q.Min), checkNumber("max", q.Max)}
		if q.Current != "" {
			errs = append(errs, checkNumber("current", q.Current))
		}
		for _, err := range errs {
			if err != nil {
				return fmt.Errorf("sequence %s.%s: %w", q.Schema, q.Name, err)
			}
		}
	}
	for _, t := range s.Tables {
		errs := []error{checkColumns(t.Columns),
			checkOneOf("data compression", t.DataCompression, "ROW", "PAGE"),
			checkOneOf("lock escalation", t.LockEscalation, "TABLE", "AUTO", "DISABLE"),
			checkOneOf("durability", t.Durability, "SCHEMA_AND_DATA", "SCHEMA_ONLY")}
		for _, ix := range t.Indexes {
			errs = append(errs, checkIndex(ix))
		}
		for _, k := range t.Uniques {
			errs = append(errs, checkIndexOptions(k.Options))
		}
		if t.PrimaryKey != nil {
			errs = append(errs, checkIndexOptions(t.PrimaryKey.Options))
		}
		for _, fk := range t.ForeignKeys {
			errs = append(errs, checkOneOf("ON DELETE", fk.OnDelete, "CASCADE", "SET NULL", "SET DEFAULT"),
				checkOneOf("ON UPDATE", fk.OnUpdate, "CASCADE", "SET NULL", "SET DEFAULT"))
		}
		for _, err := range errs {
			if err != nil {
				return fmt.Errorf("table %s.%s: %w", t.Schema, t.Name, err)
			}
		}
	}
	for _, m := range s.Modules {
		for _, ix := range m.Indexes {
			if err := checkIndex(ix); err != nil {
				return fmt.Errorf("view %s.%s: %w", m.Schema, m.Name, err)
			}
		}
	}
	for _, p := range s.Properties {
		if err := checkOneOf("level1Type", p.Level1Type, "TABLE", "VIEW", "PROCEDURE", "FUNCTION", "TYPE", "SEQUENCE", "SYNONYM"); err != nil {
			return fmt.Errorf("extended property %s: %w", p.Name, err)
		}
		if err := checkOneOf("level2Type", p.Level2Type, "COLUMN", "INDEX", "CONSTRAINT", "TRIGGER"); err != nil {
			return fmt.Errorf("extended property %s: %w", p.Name, err)
		}
	}
	for _, d := range s.Dependencies {
		if err := checkOneOf("dependency via", d.Via, "computed", "default", "check"); err != nil {
			return fmt.Errorf("dependency of %s.%s on %s.%s: %w", d.Schema, d.Name, d.RefSchema, d.RefName, err)
		}
	}
	for _, p := range s.Principals {
		if err := checkOneOf("principal kind", p.Kind, "SQL_USER", "WINDOWS_USER", "WINDOWS_GROUP", "DATABASE_ROLE"); err != nil {
			return fmt.Errorf("principal %s: %w", p.Name, err)
		}
	}
	return nil
}
