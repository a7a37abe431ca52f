// Package catalog holds the schema of a SQL Server database as xdm scripts it:
// a Snapshot read from the system catalog views through queries that select
// only what the source's version has, and saved as JSON so that a database can
// be scripted without a server ("xdm sql catalog", "xdm sql script
// --from-snapshot").
//
// The model keeps T-SQL fragments (defaults, checks, computed columns, filters,
// module bodies) as the server stores them; the scripter brackets every name.
package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/version"
)

// FormatVersion is the "format" number of the JSON snapshots this package
// writes. Read accepts this version only.
const FormatVersion = 1

// Snapshot is one database's catalog.
type Snapshot struct {
	Format       int          `json:"format"`
	Source       Source       `json:"source"`
	Database     Database     `json:"database"`
	Schemas      []Schema     `json:"schemas,omitempty"`
	Types        []UserType   `json:"types,omitempty"`
	Sequences    []Sequence   `json:"sequences,omitempty"`
	Synonyms     []Synonym    `json:"synonyms,omitempty"`
	Tables       []Table      `json:"tables,omitempty"`
	Modules      []Module     `json:"modules,omitempty"`
	Properties   []Property   `json:"extendedProperties,omitempty"`
	Principals   []Principal  `json:"principals,omitempty"`
	RoleMembers  []RoleMember `json:"roleMembers,omitempty"`
	Dependencies []Dependency `json:"dependencies,omitempty"`
}

// Source describes the server the snapshot was read from.
type Source struct {
	Server         string          `json:"server,omitempty"`
	ProductVersion string          `json:"productVersion,omitempty"` // SERVERPROPERTY('ProductVersion'), e.g. 15.0.4153.1
	Version        version.Version `json:"version"`                  // 150 for 2019
	Edition        string          `json:"edition,omitempty"`
}

// Database holds the database-level settings --create-database scripts.
type Database struct {
	Name                  string      `json:"name"`
	Collation             string      `json:"collation,omitempty"`
	CompatibilityLevel    int         `json:"compatibilityLevel,omitempty"`
	RecoveryModel         string      `json:"recoveryModel,omitempty"` // FULL, BULK_LOGGED, SIMPLE
	ReadCommittedSnapshot bool        `json:"readCommittedSnapshot,omitempty"`
	SnapshotIsolation     bool        `json:"snapshotIsolation,omitempty"`
	Filegroups            []Filegroup `json:"filegroups,omitempty"`
	LogFiles              []File      `json:"logFiles,omitempty"`
	FilestreamDirectory   string      `json:"filestreamDirectory,omitempty"` // FILESTREAM DIRECTORY_NAME
	// ScopedConfigurations are the database scoped configurations (2016)
	// whose value differs from the default.
	ScopedConfigurations []ScopedConfiguration `json:"scopedConfigurations,omitempty"`
}

// ScopedConfiguration is one ALTER DATABASE SCOPED CONFIGURATION setting, its
// value as sys.database_scoped_configurations shows it (0 and 1 for OFF and
// ON, a number, or a word such as WHEN_SUPPORTED).
type ScopedConfiguration struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// ValueForSecondary is the value for secondary replicas; empty means
	// PRIMARY (the same as the primary's).
	ValueForSecondary string `json:"valueForSecondary,omitempty"`
}

// Filegroup is a data space with its files.
type Filegroup struct {
	Name      string `json:"name"`
	Type      string `json:"type"` // ROWS, FILESTREAM, MEMORY_OPTIMIZED_DATA
	IsDefault bool   `json:"isDefault,omitempty"`
	Files     []File `json:"files,omitempty"`
}

// File is a database file. Sizes are in KB; MaxSizeKB -1 is UNLIMITED.
type File struct {
	Name          string `json:"name"`
	PhysicalName  string `json:"physicalName"`
	SizeKB        int64  `json:"sizeKB,omitempty"`
	MaxSizeKB     int64  `json:"maxSizeKB,omitempty"`
	GrowthKB      int64  `json:"growthKB,omitempty"`
	GrowthPercent int    `json:"growthPercent,omitempty"`
}

// Schema is a database schema. Built-in schemas (dbo, sys, guest,
// INFORMATION_SCHEMA and the fixed roles' schemas) are not listed.
type Schema struct {
	Name  string `json:"name"`
	Owner string `json:"owner,omitempty"`
}

// Type is a column's data type. MaxLength is in bytes as sys.columns has it
// (-1 for max); user-defined types carry their schema.
type Type struct {
	Name      string `json:"name"`
	Schema    string `json:"schema,omitempty"` // set for user-defined types
	MaxLength int    `json:"maxLength,omitempty"`
	Precision int    `json:"precision,omitempty"`
	Scale     int    `json:"scale,omitempty"`
	XMLSchema string `json:"xmlSchema,omitempty"` // schema.collection of a typed xml column
	XMLDoc    bool   `json:"xmlDocument,omitempty"`
}

// UserType is an alias type (CREATE TYPE x FROM int) or, when Table is set, a
// table type.
type UserType struct {
	Schema   string `json:"schema"`
	Name     string `json:"name"`
	Base     Type   `json:"base,omitempty"`
	Nullable bool   `json:"nullable,omitempty"`
	Table    *Table `json:"table,omitempty"`
}

// Sequence is a CREATE SEQUENCE (2012 and later). Numbers are kept as their
// decimal text because they may exceed int64 (decimal sequences).
type Sequence struct {
	Schema    string `json:"schema"`
	Name      string `json:"name"`
	Type      Type   `json:"type"`
	Start     string `json:"start"`
	Increment string `json:"increment"`
	Min       string `json:"min"`
	Max       string `json:"max"`
	Cycle     bool   `json:"cycle,omitempty"`
	Cache     int    `json:"cache,omitempty"`   // 0: default cache
	NoCache   bool   `json:"noCache,omitempty"` // NO CACHE
	Current   string `json:"current,omitempty"` // current value: the script restarts after it
}

// Synonym is a CREATE SYNONYM; Target is the bracketed name as the server keeps it.
type Synonym struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Target string `json:"target"`
}

// Column is a table or table-type column.
type Column struct {
	Name       string    `json:"name"`
	Type       Type      `json:"type"`
	Nullable   bool      `json:"nullable,omitempty"`
	Collation  string    `json:"collation,omitempty"`
	Identity   *Identity `json:"identity,omitempty"`
	Computed   *Computed `json:"computed,omitempty"`
	Default    *Default  `json:"default,omitempty"`
	Sparse     bool      `json:"sparse,omitempty"`
	ColumnSet  bool      `json:"columnSet,omitempty"`
	RowGUIDCol bool      `json:"rowguidcol,omitempty"`
	FileStream bool      `json:"filestream,omitempty"`
	// GeneratedAlways is "ROW START" or "ROW END" for a temporal table's period columns (2016).
	GeneratedAlways string `json:"generatedAlways,omitempty"`
	Hidden          bool   `json:"hidden,omitempty"`       // period column HIDDEN (2016)
	MaskFunction    string `json:"maskFunction,omitempty"` // dynamic data masking (2016), e.g. default()
}

// Identity is an IDENTITY(seed, increment) column.
type Identity struct {
	Seed              string `json:"seed"`
	Increment         string `json:"increment"`
	NotForReplication bool   `json:"notForReplication,omitempty"`
	// Last is the last value the source generated (sys.identity_columns
	// last_value), empty if it never generated one. The script reseeds the
	// copy to it, so numbers of deleted rows are not handed out again.
	Last string `json:"last,omitempty"`
}

// Computed is a computed column's definition.
type Computed struct {
	Definition string `json:"definition"`
	Persisted  bool   `json:"persisted,omitempty"`
}

// Default is a named default constraint.
type Default struct {
	Name       string `json:"name,omitempty"`
	Definition string `json:"definition"`
}

// Table is a user table with its keys, indexes and constraints. Rows holds
// embedded data for tests and small examples: one JSON value per column in
// Columns order (see DecodeValue).
type Table struct {
	Schema              string              `json:"schema"`
	Name                string              `json:"name"`
	Columns             []Column            `json:"columns"`
	Filegroup           string              `json:"filegroup,omitempty"`
	TextImageFilegroup  string              `json:"textImageFilegroup,omitempty"`
	FilestreamFilegroup string              `json:"filestreamFilegroup,omitempty"`
	DataCompression     string              `json:"dataCompression,omitempty"` // ROW, PAGE
	LockEscalation      string              `json:"lockEscalation,omitempty"`  // TABLE (default), AUTO, DISABLE
	Temporal            *Temporal           `json:"temporal,omitempty"`
	MemoryOptimized     bool                `json:"memoryOptimized,omitempty"`
	Durability          string              `json:"durability,omitempty"` // SCHEMA_AND_DATA, SCHEMA_ONLY
	PrimaryKey          *Key                `json:"primaryKey,omitempty"`
	Uniques             []Key               `json:"uniques,omitempty"`
	Indexes             []Index             `json:"indexes,omitempty"`
	ForeignKeys         []ForeignKey        `json:"foreignKeys,omitempty"`
	Checks              []Check             `json:"checks,omitempty"`
	RowCount            int64               `json:"rowCount,omitempty"`
	Rows                [][]json.RawMessage `json:"rows,omitempty"`
}

// Temporal marks a system-versioned table (2016) and names its history table.
type Temporal struct {
	HistorySchema string `json:"historySchema"`
	HistoryTable  string `json:"historyTable"`
	PeriodStart   string `json:"periodStart"`
	PeriodEnd     string `json:"periodEnd"`
}

// Key is a PRIMARY KEY or UNIQUE constraint.
type Key struct {
	Name      string        `json:"name"`
	Clustered bool          `json:"clustered,omitempty"`
	Columns   []IndexColumn `json:"columns"`
	Filegroup string        `json:"filegroup,omitempty"`
	Options   IndexOptions  `json:"options,omitzero"`
}

// IndexColumn is one key column.
type IndexColumn struct {
	Name       string `json:"name"`
	Descending bool   `json:"descending,omitempty"`
}

// Index is an index that is not a key constraint.
type Index struct {
	Name      string        `json:"name"`
	Kind      string        `json:"kind"` // CLUSTERED, NONCLUSTERED, CLUSTERED COLUMNSTORE, NONCLUSTERED COLUMNSTORE, XML, SPATIAL
	Unique    bool          `json:"unique,omitempty"`
	Columns   []IndexColumn `json:"columns,omitempty"`
	Included  []string      `json:"included,omitempty"`
	Filter    string        `json:"filter,omitempty"`
	Filegroup string        `json:"filegroup,omitempty"`
	Options   IndexOptions  `json:"options,omitzero"`
	Disabled  bool          `json:"disabled,omitempty"`
	// XML is set for a secondary XML index; an XML index without it is the
	// table's primary XML index.
	XML *XMLIndex `json:"xml,omitempty"`
	// Spatial holds a spatial index's tessellation.
	Spatial *SpatialIndex `json:"spatial,omitempty"`
}

// XMLIndex makes an XML index secondary: USING XML INDEX Using FOR For.
type XMLIndex struct {
	Using string `json:"using"` // the primary XML index
	For   string `json:"for"`   // PATH, VALUE or PROPERTY
}

// SpatialIndex is the tessellation of a spatial index
// (sys.spatial_index_tessellations).
type SpatialIndex struct {
	// Tessellation is GEOMETRY_GRID, GEOGRAPHY_GRID, GEOMETRY_AUTO_GRID or
	// GEOGRAPHY_AUTO_GRID (the last two 2012).
	Tessellation string `json:"tessellation"`
	// BoundingBox is xmin, ymin, xmax, ymax of a geometry index.
	BoundingBox []float64 `json:"boundingBox,omitempty"`
	// Grids are the densities of levels 1 to 4 (LOW, MEDIUM, HIGH) of a
	// GRID tessellation; the AUTO_GRID ones have none.
	Grids          []string `json:"grids,omitempty"`
	CellsPerObject int      `json:"cellsPerObject,omitempty"`
}

// IndexOptions are the WITH (...) options that differ from the defaults.
type IndexOptions struct {
	FillFactor               int    `json:"fillFactor,omitempty"`
	PadIndex                 bool   `json:"padIndex,omitempty"`
	IgnoreDupKey             bool   `json:"ignoreDupKey,omitempty"`
	NoRowLocks               bool   `json:"noRowLocks,omitempty"`
	NoPageLocks              bool   `json:"noPageLocks,omitempty"`
	DataCompression          string `json:"dataCompression,omitempty"`
	CompressionDelay         int    `json:"compressionDelay,omitempty"`         // 2016
	OptimizeForSequentialKey bool   `json:"optimizeForSequentialKey,omitempty"` // 2019
}

// ForeignKey is a FOREIGN KEY constraint.
type ForeignKey struct {
	Name              string   `json:"name"`
	Columns           []string `json:"columns"`
	RefSchema         string   `json:"refSchema"`
	RefTable          string   `json:"refTable"`
	RefColumns        []string `json:"refColumns"`
	OnDelete          string   `json:"onDelete,omitempty"` // CASCADE, SET NULL, SET DEFAULT
	OnUpdate          string   `json:"onUpdate,omitempty"`
	NotForReplication bool     `json:"notForReplication,omitempty"`
	Disabled          bool     `json:"disabled,omitempty"`
	NotTrusted        bool     `json:"notTrusted,omitempty"`
}

// Check is a CHECK constraint.
type Check struct {
	Name              string `json:"name"`
	Definition        string `json:"definition"`
	NotForReplication bool   `json:"notForReplication,omitempty"`
	Disabled          bool   `json:"disabled,omitempty"`
	NotTrusted        bool   `json:"notTrusted,omitempty"`
}

// Module kinds.
const (
	View      = "VIEW"
	Procedure = "PROCEDURE"
	Function  = "FUNCTION"
	Trigger   = "TRIGGER"
)

// Module is a view, procedure, function or trigger with its body from
// sys.sql_modules and the session settings it was created with.
type Module struct {
	Schema           string  `json:"schema"`
	Name             string  `json:"name"`
	Kind             string  `json:"kind"`
	ParentSchema     string  `json:"parentSchema,omitempty"` // the table of a DML trigger
	ParentTable      string  `json:"parentTable,omitempty"`
	Definition       string  `json:"definition"`
	AnsiNulls        bool    `json:"ansiNulls"`
	QuotedIdentifier bool    `json:"quotedIdentifier"`
	SchemaBound      bool    `json:"schemaBound,omitempty"`
	Disabled         bool    `json:"disabled,omitempty"` // a disabled trigger
	Indexes          []Index `json:"indexes,omitempty"`  // an indexed view's indexes
}

// Property is an extended property. Level 1 is an object (table, view,
// procedure, function, type, sequence, synonym); level 2 a column, index,
// constraint or trigger of it. Empty levels address the database or a schema.
type Property struct {
	Name       string `json:"name"`
	Value      string `json:"value"`
	Schema     string `json:"schema,omitempty"`
	Level1Type string `json:"level1Type,omitempty"` // TABLE, VIEW, PROCEDURE, FUNCTION, TYPE, SEQUENCE, SYNONYM
	Level1     string `json:"level1,omitempty"`
	Level2Type string `json:"level2Type,omitempty"` // COLUMN, INDEX, CONSTRAINT, TRIGGER
	Level2     string `json:"level2,omitempty"`
}

// Principal is a database user or role (scripted only on request).
type Principal struct {
	Name          string `json:"name"`
	Kind          string `json:"kind"` // SQL_USER, WINDOWS_USER, WINDOWS_GROUP, DATABASE_ROLE
	Login         string `json:"login,omitempty"`
	DefaultSchema string `json:"defaultSchema,omitempty"`
	WithoutLogin  bool   `json:"withoutLogin,omitempty"`
}

// RoleMember puts Member in Role.
type RoleMember struct {
	Role   string `json:"role"`
	Member string `json:"member"`
}

// Dependency says that object Schema.Name references RefSchema.RefName
// (from sys.sql_expression_dependencies; a table's computed columns, defaults
// and checks count as the table, a trigger as itself).
type Dependency struct {
	Schema    string `json:"schema"`
	Name      string `json:"name"`
	RefSchema string `json:"refSchema"`
	RefName   string `json:"refName"`
	// Via says how a table depends: "computed" (a computed column),
	// "default" or "check" (a constraint); empty for a view, function,
	// procedure or trigger. A table needs what its computed columns and
	// defaults use when it is created, what its checks use only when the
	// checks are added after the data.
	Via string `json:"via,omitempty"`
}

// Write encodes s as indented JSON.
func (s *Snapshot) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	c := *s
	c.Format = FormatVersion
	return enc.Encode(&c)
}

// ReadSnapshot decodes a JSON snapshot and checks that it is usable. A
// snapshot that is not valid JSON, or holds a value of the wrong type, is a
// *position.Error without a file name (position.In adds one) whose column
// counts bytes.
func ReadSnapshot(r io.Reader) (*Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		off := int64(-1)
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = max(se.Offset-1, 0) // the offending byte
		case errors.As(err, &te):
			off = te.Offset
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			off = int64(len(data))
		}
		if off < 0 {
			off = dec.InputOffset()
		}
		line, col := lineCol(data, off)
		return nil, &position.Error{Line: int64(line), Column: col, Offset: off, Err: fmt.Errorf("reading catalog snapshot: %w", err)}
	}
	if s.Format != FormatVersion {
		return nil, fmt.Errorf("catalog snapshot format %d: this xdm reads format %d", s.Format, FormatVersion)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	return line, int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// Validate checks what the scripter relies on: names present, embedded rows
// as wide as their tables, keys and foreign keys naming existing columns.
func (s *Snapshot) Validate() error {
	if s.Database.Name == "" {
		return fmt.Errorf("catalog snapshot: database.name is empty")
	}
	if err := s.validateTokens(); err != nil {
		return fmt.Errorf("catalog snapshot: %w", err)
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.Schema == "" || t.Name == "" {
			return fmt.Errorf("catalog snapshot: tables[%d] has no schema or name", i)
		}
		if err := t.validate(); err != nil {
			return fmt.Errorf("catalog snapshot: table %s.%s: %w", t.Schema, t.Name, err)
		}
	}
	for i, m := range s.Modules {
		switch m.Kind {
		case View, Procedure, Function, Trigger:
		default:
			return fmt.Errorf("catalog snapshot: modules[%d] %s.%s: kind %q is not VIEW, PROCEDURE, FUNCTION or TRIGGER", i, m.Schema, m.Name, m.Kind)
		}
		if strings.TrimSpace(m.Definition) == "" {
			return fmt.Errorf("catalog snapshot: modules[%d] %s.%s has no definition (encrypted modules cannot be scripted)", i, m.Schema, m.Name)
		}
	}
	return nil
}

func (t *Table) validate() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("no columns")
	}
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("rows[%d] has %s for %s", r, plural.Count(len(row), "value"), plural.Count(len(t.Columns), "column"))
		}
	}
	keys := append([]Key{}, t.Uniques...)
	if t.PrimaryKey != nil {
		keys = append(keys, *t.PrimaryKey)
	}
	for _, k := range keys {
		for _, c := range k.Columns {
			if t.Column(c.Name) == nil {
				return fmt.Errorf("key %s names column %q that the table does not have", k.Name, c.Name)
			}
		}
	}
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) != len(fk.RefColumns) || len(fk.Columns) == 0 {
			return fmt.Errorf("foreign key %s has %s referencing %d", fk.Name, plural.Count(len(fk.Columns), "column"), len(fk.RefColumns))
		}
		for _, c := range fk.Columns {
			if t.Column(c) == nil {
				return fmt.Errorf("foreign key %s names column %q that the table does not have", fk.Name, c)
			}
		}
	}
	return nil
}

// Column returns the column called name (case-insensitively, as SQL Server's
// usual collations compare names), or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// Table returns the table schema.name, or nil.
func (s *Snapshot) Table(schema, name string) *Table {
	for i := range s.Tables {
		if strings.EqualFold(s.Tables[i].Schema, schema) && strings.EqualFold(s.Tables[i].Name, name) {
			return &s.Tables[i]
		}
	}
	return nil
}
