package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/version"
)

// Queryer is what Read needs from a connection: *sql.DB, *sql.Conn and
// *sql.Tx all have it.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReadOptions tune Read. The zero value reads everything.
type ReadOptions struct {
	// Progress, when set, is called after each catalog query with the
	// number of queries done and their total.
	Progress func(done, total int)
}

// Read reads the catalog of the connection's current database. It first asks
// the server for its version and then runs Queries(version).
func Read(ctx context.Context, db Queryer, opts ReadOptions) (*Snapshot, error) {
	rows, err := db.QueryContext(ctx, "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)), CAST(SERVERPROPERTY('Edition') AS nvarchar(128)), CAST(@@SERVERNAME AS nvarchar(128))")
	if err != nil {
		return nil, fmt.Errorf("reading the server version: %w", err)
	}
	recs, err := records(rows)
	if err != nil {
		return nil, fmt.Errorf("reading the server version: %w", err)
	}
	if len(recs) != 1 {
		return nil, fmt.Errorf("reading the server version: %d rows", len(recs))
	}
	pv, edition, server := recs[0].byIndex(0), recs[0].byIndex(1), recs[0].byIndex(2)
	v, err := version.Parse(pv)
	if err != nil {
		return nil, fmt.Errorf("server version %s: %w", pv, err)
	}
	s := &Snapshot{Format: FormatVersion, Source: Source{Server: server, ProductVersion: pv, Version: v, Edition: edition}}
	res := map[string][]record{}
	queries := Queries(v)
	for i, q := range queries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows, err := db.QueryContext(ctx, q.SQL)
		if err != nil {
			return nil, fmt.Errorf("catalog query %s: %w", q.Name, err)
		}
		recs, err := records(rows)
		if err != nil {
			return nil, fmt.Errorf("catalog query %s: %w", q.Name, err)
		}
		res[q.Name] = recs
		if opts.Progress != nil {
			opts.Progress(i+1, len(queries))
		}
	}
	if err := assemble(s, res); err != nil {
		return nil, err
	}
	return s, s.Validate()
}

// record is one result row by column name; NULL reads as "".
type record struct {
	names []string
	vals  []sql.NullString
}

func (r record) byIndex(i int) string { return r.vals[i].String }

func (r record) str(name string) string {
	for i, n := range r.names {
		if n == name {
			return r.vals[i].String
		}
	}
	panic("catalog: query has no column " + name) // a programming error in Queries
}

func (r record) int(name string) int64 {
	s := r.str(name)
	switch s {
	case "", "false":
		return 0
	case "true":
		return 1
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func (r record) bool(name string) bool { return r.int(name) != 0 }

func records(rows *sql.Rows) ([]record, error) {
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []record
	for rows.Next() {
		r := record{names: names, vals: make([]sql.NullString, len(names))}
		ptrs := make([]any, len(names))
		for i := range r.vals {
			ptrs[i] = &r.vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// assemble builds the snapshot from the results of Queries, keyed by query
// name. It is separate from Read so that the mapping is testable without a
// server.
func assemble(s *Snapshot, res map[string][]record) error {
	if d := res["database"]; len(d) == 1 {
		r := d[0]
		s.Database.Name = r.str("name")
		s.Database.Collation = r.str("collation")
		s.Database.CompatibilityLevel = int(r.int("compatibility_level"))
		s.Database.RecoveryModel = r.str("recovery_model")
		s.Database.ReadCommittedSnapshot = r.bool("rcsi")
		s.Database.SnapshotIsolation = r.bool("snapshot_isolation")
		s.Database.FilestreamDirectory = r.str("filestream_directory")
	} else {
		return fmt.Errorf("catalog: the current database was not found in sys.databases")
	}
	fgIndex := map[string]int{}
	for _, r := range res["files"] {
		file := File{Name: r.str("name"), PhysicalName: r.str("physical_name"), SizeKB: r.int("size_kb"),
			MaxSizeKB: r.int("max_size_kb"), GrowthKB: r.int("growth_kb"), GrowthPercent: int(r.int("growth_percent"))}
		if r.str("filegroup_type") == "LG" {
			s.Database.LogFiles = append(s.Database.LogFiles, file)
			continue
		}
		name := r.str("filegroup")
		i, ok := fgIndex[name]
		if !ok {
			typ := map[string]string{"FG": "ROWS", "FD": "FILESTREAM", "FX": "MEMORY_OPTIMIZED_DATA"}[strings.TrimSpace(r.str("filegroup_type"))]
			s.Database.Filegroups = append(s.Database.Filegroups, Filegroup{Name: name, Type: typ, IsDefault: r.bool("is_default")})
			i = len(s.Database.Filegroups) - 1
			fgIndex[name] = i
		}
		s.Database.Filegroups[i].Files = append(s.Database.Filegroups[i].Files, file)
	}
	for _, r := range res["schemas"] {
		s.Schemas = append(s.Schemas, Schema{Name: r.str("name"), Owner: r.str("owner")})
	}

	// Columns, indexes and constraints hang off object ids.
	cols := map[int64][]Column{}
	for _, r := range res["columns"] {
		id := r.int("object_id")
		c := Column{
			Name:       r.str("name"),
			Type:       Type{Name: r.str("type_name"), Schema: r.str("type_schema"), MaxLength: int(r.int("max_length")), Precision: int(r.int("precision")), Scale: int(r.int("scale")), XMLSchema: r.str("xml_schema"), XMLDoc: r.bool("is_xml_document")},
			Nullable:   r.bool("is_nullable"),
			Collation:  r.str("collation"),
			Sparse:     r.bool("is_sparse"),
			ColumnSet:  r.bool("is_column_set"),
			RowGUIDCol: r.bool("is_rowguidcol"),
			FileStream: r.bool("is_filestream"),
			Hidden:     r.bool("is_hidden"),
		}
		c.MaskFunction = r.str("masking_function")
		switch r.int("generated_always_type") {
		case 1:
			c.GeneratedAlways = "ROW START"
		case 2:
			c.GeneratedAlways = "ROW END"
		}
		if r.bool("is_identity") {
			c.Identity = &Identity{Seed: r.str("seed"), Increment: r.str("increment"), NotForReplication: r.bool("identity_nfr")}
		}
		if r.bool("is_computed") {
			c.Computed = &Computed{Definition: r.str("computed_definition"), Persisted: r.bool("is_persisted")}
		}
		if d := r.str("default_definition"); d != "" {
			c.Default = &Default{Definition: d}
			if !r.bool("default_system_named") {
				c.Default.Name = r.str("default_name")
			}
		}
		cols[id] = append(cols[id], c)
	}
	idxCols := map[[2]int64][]record{}
	for _, r := range res["index_columns"] {
		k := [2]int64{r.int("object_id"), r.int("index_id")}
		idxCols[k] = append(idxCols[k], r)
	}
	type keyed struct {
		pk      *Key
		uniques []Key
		indexes []Index
	}
	idx := map[int64]*keyed{}
	for _, r := range res["indexes"] {
		id := r.int("object_id")
		if idx[id] == nil {
			idx[id] = &keyed{}
		}
		opt := IndexOptions{
			FillFactor:               int(r.int("fill_factor")),
			PadIndex:                 r.bool("is_padded"),
			IgnoreDupKey:             r.bool("ignore_dup_key"),
			NoRowLocks:               !r.bool("allow_row_locks"),
			NoPageLocks:              !r.bool("allow_page_locks"),
			CompressionDelay:         int(r.int("compression_delay")),
			OptimizeForSequentialKey: r.bool("optimize_for_sequential_key"),
		}
		if dc := r.str("data_compression"); dc != "NONE" && dc != "" {
			opt.DataCompression = dc
		}
		var keyCols []IndexColumn
		var included []string
		for _, c := range idxCols[[2]int64{id, r.int("index_id")}] {
			if c.bool("is_included") {
				included = append(included, c.str("column_name"))
			} else {
				keyCols = append(keyCols, IndexColumn{Name: c.str("column_name"), Descending: c.bool("is_descending")})
			}
		}
		kind := r.str("type_desc")
		clustered := kind == "CLUSTERED"
		if r.bool("is_primary_key") || r.bool("is_unique_constraint") {
			k := Key{Name: r.str("name"), Clustered: clustered, Columns: keyCols, Filegroup: r.str("filegroup"), Options: opt}
			if r.bool("is_primary_key") {
				idx[id].pk = &k
			} else {
				idx[id].uniques = append(idx[id].uniques, k)
			}
			continue
		}
		idx[id].indexes = append(idx[id].indexes, Index{Name: r.str("name"), Kind: kind, Unique: r.bool("is_unique"),
			Columns: keyCols, Included: included, Filter: r.str("filter"), Filegroup: r.str("filegroup"), Options: opt, Disabled: r.bool("is_disabled")})
	}
	fkCols := map[int64][]record{}
	for _, r := range res["foreign_key_columns"] {
		fkCols[r.int("fk_id")] = append(fkCols[r.int("fk_id")], r)
	}
	fks := map[int64][]ForeignKey{}
	for _, r := range res["foreign_keys"] {
		fk := ForeignKey{Name: r.str("name"), RefSchema: r.str("ref_schema"), RefTable: r.str("ref_table"),
			OnDelete: action(r.str("on_delete")), OnUpdate: action(r.str("on_update")),
			NotForReplication: r.bool("is_not_for_replication"), Disabled: r.bool("is_disabled"), NotTrusted: r.bool("is_not_trusted")}
		for _, c := range fkCols[r.int("fk_id")] {
			fk.Columns = append(fk.Columns, c.str("column_name"))
			fk.RefColumns = append(fk.RefColumns, c.str("ref_column_name"))
		}
		fks[r.int("object_id")] = append(fks[r.int("object_id")], fk)
	}
	checks := map[int64][]Check{}
	for _, r := range res["checks"] {
		checks[r.int("object_id")] = append(checks[r.int("object_id")], Check{Name: r.str("name"), Definition: r.str("definition"),
			NotForReplication: r.bool("is_not_for_replication"), Disabled: r.bool("is_disabled"), NotTrusted: r.bool("is_not_trusted")})
	}
	attach := func(t *Table, id int64) {
		t.Columns = cols[id]
		if k := idx[id]; k != nil {
			t.PrimaryKey, t.Uniques, t.Indexes = k.pk, k.uniques, k.indexes
		}
		t.ForeignKeys = fks[id]
		t.Checks = checks[id]
	}

	for _, r := range res["types"] {
		u := UserType{Schema: r.str("schema_name"), Name: r.str("name"), Nullable: r.bool("is_nullable")}
		if r.bool("is_assembly_type") {
			return fmt.Errorf("catalog: CLR type %s.%s cannot be scripted (assemblies are not read)", u.Schema, u.Name)
		}
		if r.bool("is_table_type") {
			t := &Table{Schema: u.Schema, Name: u.Name}
			attach(t, r.int("table_object_id"))
			u.Table = t
		} else {
			u.Base = Type{Name: r.str("base_type"), MaxLength: int(r.int("max_length")), Precision: int(r.int("precision")), Scale: int(r.int("scale"))}
		}
		s.Types = append(s.Types, u)
	}
	for _, r := range res["sequences"] {
		sq := Sequence{Schema: r.str("schema_name"), Name: r.str("name"),
			Type:  Type{Name: r.str("type_name"), Precision: int(r.int("precision")), Scale: int(r.int("scale"))},
			Start: r.str("start_value"), Increment: r.str("increment"), Min: r.str("minimum_value"), Max: r.str("maximum_value"),
			Cycle: r.bool("is_cycling"), Cache: int(r.int("cache_size")), NoCache: !r.bool("is_cached"), Current: r.str("current_value")}
		s.Sequences = append(s.Sequences, sq)
	}
	for _, r := range res["synonyms"] {
		s.Synonyms = append(s.Synonyms, Synonym{Schema: r.str("schema_name"), Name: r.str("name"), Target: r.str("target")})
	}
	for _, r := range res["tables"] {
		if r.bool("is_filetable") || r.bool("is_external") || r.bool("is_graph") {
			return fmt.Errorf("catalog: table %s.%s is a FileTable, external or graph table, which xdm cannot script", r.str("schema_name"), r.str("name"))
		}
		t := Table{Schema: r.str("schema_name"), Name: r.str("name"), Filegroup: r.str("filegroup"),
			TextImageFilegroup: r.str("textimage_filegroup"), FilestreamFilegroup: r.str("filestream_filegroup"),
			LockEscalation: r.str("lock_escalation"), MemoryOptimized: r.bool("is_memory_optimized"), RowCount: r.int("row_count")}
		if dc := r.str("data_compression"); dc != "NONE" {
			t.DataCompression = dc
		}
		if t.MemoryOptimized {
			t.Durability = r.str("durability")
		}
		attach(&t, r.int("object_id"))
		if r.int("temporal_type") == 2 {
			t.Temporal = &Temporal{HistorySchema: r.str("history_schema"), HistoryTable: r.str("history_table")}
			for _, c := range t.Columns {
				switch c.GeneratedAlways {
				case "ROW START":
					t.Temporal.PeriodStart = c.Name
				case "ROW END":
					t.Temporal.PeriodEnd = c.Name
				}
			}
		}
		s.Tables = append(s.Tables, t)
	}
	for _, r := range res["modules"] {
		if r.str("definition") == "" {
			return fmt.Errorf("catalog: %s.%s is encrypted (WITH ENCRYPTION): its body cannot be read", r.str("schema_name"), r.str("name"))
		}
		m := Module{Schema: r.str("schema_name"), Name: r.str("name"), Definition: r.str("definition"),
			AnsiNulls: r.bool("uses_ansi_nulls"), QuotedIdentifier: r.bool("uses_quoted_identifier"),
			SchemaBound: r.bool("is_schema_bound"), Disabled: r.bool("is_disabled")}
		switch strings.TrimSpace(r.str("type")) {
		case "V":
			m.Kind = View
			if k := idx[r.int("object_id")]; k != nil {
				m.Indexes = k.indexes
			}
		case "P":
			m.Kind = Procedure
		case "TR":
			m.Kind = Trigger
			m.ParentSchema, m.ParentTable = r.str("parent_schema"), r.str("parent_name")
		default:
			m.Kind = Function
		}
		s.Modules = append(s.Modules, m)
	}
	for _, r := range res["extended_properties"] {
		p := Property{Name: r.str("name"), Value: r.str("value")}
		switch r.int("class") {
		case 3:
			p.Schema = r.str("schema_name")
		case 1, 7:
			p.Schema, p.Level1 = r.str("schema_name"), r.str("object_name")
			p.Level1Type = map[string]string{"U": "TABLE", "V": "VIEW", "P": "PROCEDURE", "FN": "FUNCTION", "IF": "FUNCTION", "TF": "FUNCTION", "SO": "SEQUENCE", "SN": "SYNONYM"}[strings.TrimSpace(r.str("object_type"))]
			if p.Level1Type == "" {
				continue // a constraint's or trigger's own property: not scripted
			}
			if minor := r.str("minor_name"); minor != "" {
				p.Level2 = minor
				p.Level2Type = "COLUMN"
				if r.int("class") == 7 {
					p.Level2Type = "INDEX"
				}
			}
		}
		s.Properties = append(s.Properties, p)
	}
	for _, r := range res["principals"] {
		kind := map[string]string{"S": "SQL_USER", "U": "WINDOWS_USER", "G": "WINDOWS_GROUP", "R": "DATABASE_ROLE"}[strings.TrimSpace(r.str("type"))]
		p := Principal{Name: r.str("name"), Kind: kind, Login: r.str("login"), DefaultSchema: r.str("default_schema")}
		p.WithoutLogin = kind == "SQL_USER" && p.Login == ""
		s.Principals = append(s.Principals, p)
	}
	for _, r := range res["role_members"] {
		s.RoleMembers = append(s.RoleMembers, RoleMember{Role: r.str("role_name"), Member: r.str("member_name")})
	}
	for _, r := range res["dependencies"] {
		d := Dependency{Schema: r.str("schema_name"), Name: r.str("name"), RefSchema: r.str("ref_schema"), RefName: r.str("ref_name")}
		if d.Schema == d.RefSchema && d.Name == d.RefName {
			continue
		}
		s.Dependencies = append(s.Dependencies, d)
	}
	return nil
}

// action turns sys.foreign_keys' NO_ACTION / SET_NULL into T-SQL; "" is NO ACTION.
func action(desc string) string {
	if desc == "NO_ACTION" || desc == "" {
		return ""
	}
	return strings.ReplaceAll(desc, "_", " ")
}
