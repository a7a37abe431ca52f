package catalog

import (
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/sql/version"
)

// assembly builds a Snapshot from the rows of the catalog queries. Each
// query method below holds the query's columns, bound to the variables of
// one row, and the function that places the row in the snapshot. Parts of
// tables are read before the tables (see queries) and kept by object id.
type assembly struct {
	s         *Snapshot
	fgIndex   map[string]int
	cols      map[int64][]Column
	idxCols   map[[2]int64][]indexColumn
	keys      map[int64]*tableKeys
	xmlNames  map[[2]int64]string // index name by object and index id, for USING XML INDEX
	fkCols    map[int64][]fkColumn
	fks       map[int64][]ForeignKey
	checkCons map[int64][]Check
}

type indexColumn struct {
	name                 string
	descending, included bool
}

type fkColumn struct{ column, refColumn string }

// tableKeys are the keys and indexes of one table or view.
type tableKeys struct {
	pk      *Key
	uniques []Key
	indexes []Index
}

func newAssembly(s *Snapshot) *assembly {
	return &assembly{s: s, fgIndex: map[string]int{}, cols: map[int64][]Column{}, idxCols: map[[2]int64][]indexColumn{},
		keys: map[int64]*tableKeys{}, xmlNames: map[[2]int64]string{}, fkCols: map[int64][]fkColumn{},
		fks: map[int64][]ForeignKey{}, checkCons: map[int64][]Check{}}
}

// c binds a field that exists on every supported version.
func c(expr, alias string, into any) column { return column{field: f(expr, alias), into: into} }

// cSince binds a field that exists from version v on.
func cSince(v version.Version, expr, alias, absent string, into any) column {
	return column{field: since(v, expr, alias, absent), into: into}
}

func (a *assembly) database() query {
	d := &a.s.Database
	return query{name: "database", cols: []column{
		c("d.name", "name", &d.Name),
		c("d.collation_name", "collation", &d.Collation),
		c("d.compatibility_level", "compatibility_level", &d.CompatibilityLevel),
		c("d.recovery_model_desc", "recovery_model", &d.RecoveryModel),
		c("d.is_read_committed_snapshot_on", "rcsi", &d.ReadCommittedSnapshot),
		c("CASE WHEN d.snapshot_isolation_state = 1 THEN 1 ELSE 0 END", "snapshot_isolation", &d.SnapshotIsolation),
		cSince(version.SQL2012, "(SELECT o.directory_name FROM sys.database_filestream_options AS o WHERE o.database_id = d.database_id)", "filestream_directory", noText, &d.FilestreamDirectory),
	}, from: "FROM sys.databases AS d\nWHERE d.database_id = DB_ID()", row: func() error { return nil }}
}

func (a *assembly) files() query {
	var fg, fgType string
	var isDefault bool
	var file File
	return query{name: "files", cols: []column{
		c("ISNULL(fg.name, N'')", "filegroup", &fg),
		c("ISNULL(fg.type, 'LG')", "filegroup_type", &fgType),
		c("ISNULL(fg.is_default, 0)", "is_default", &isDefault),
		c("df.name", "name", &file.Name),
		c("df.physical_name", "physical_name", &file.PhysicalName),
		c("CAST(df.size AS bigint) * 8", "size_kb", &file.SizeKB),
		c("CASE WHEN df.max_size = -1 THEN CAST(-1 AS bigint) ELSE CAST(df.max_size AS bigint) * 8 END", "max_size_kb", &file.MaxSizeKB),
		c("CASE WHEN df.is_percent_growth = 1 THEN 0 ELSE CAST(df.growth AS bigint) * 8 END", "growth_kb", &file.GrowthKB),
		c("CASE WHEN df.is_percent_growth = 1 THEN df.growth ELSE 0 END", "growth_percent", &file.GrowthPercent),
	}, from: "FROM sys.database_files AS df\nLEFT JOIN sys.filegroups AS fg ON fg.data_space_id = df.data_space_id\nORDER BY df.file_id",
		row: func() error {
			db := &a.s.Database
			fgType = strings.TrimSpace(fgType)
			if fgType == "LG" {
				db.LogFiles = append(db.LogFiles, file)
				return nil
			}
			i, ok := a.fgIndex[fg]
			if !ok {
				typ := map[string]string{"FG": "ROWS", "FD": "FILESTREAM", "FX": "MEMORY_OPTIMIZED_DATA"}[fgType]
				db.Filegroups = append(db.Filegroups, Filegroup{Name: fg, Type: typ, IsDefault: isDefault})
				i = len(db.Filegroups) - 1
				a.fgIndex[fg] = i
			}
			db.Filegroups[i].Files = append(db.Filegroups[i].Files, file)
			return nil
		}}
}

func (a *assembly) schemas() query {
	var sc Schema
	return query{name: "schemas", cols: []column{
		c("s.name", "name", &sc.Name),
		c("USER_NAME(s.principal_id)", "owner", &sc.Owner),
	}, from: "FROM sys.schemas AS s\nWHERE s.schema_id > 4 AND s.schema_id < 16384\nORDER BY s.name",
		row: func() error { a.s.Schemas = append(a.s.Schemas, sc); return nil }}
}

func (a *assembly) columns() query {
	var id int64
	var col Column
	var typeName, typeSchema, xmlSchema, seed, increment, last, computed, defName, defDef string
	var maxLen, precision, scale, generated int
	var xmlDoc, identity, identityNFR, isComputed, persisted, defSystemNamed bool
	return query{name: "columns", cols: []column{
		c("c.object_id", "object_id", &id),
		c("c.column_id", "column_id", new(int64)),
		c("c.name", "name", &col.Name),
		c("ty.name", "type_name", &typeName),
		c("CASE WHEN ty.is_user_defined = 1 THEN SCHEMA_NAME(ty.schema_id) ELSE N'' END", "type_schema", &typeSchema),
		c("c.max_length", "max_length", &maxLen),
		c("c.precision", "precision", &precision),
		c("c.scale", "scale", &scale),
		c("c.is_nullable", "is_nullable", &col.Nullable),
		c("ISNULL(c.collation_name, N'')", "collation", &col.Collation),
		c("c.is_identity", "is_identity", &identity),
		c("ISNULL(CAST(ic.seed_value AS nvarchar(40)), N'')", "seed", &seed),
		c("ISNULL(CAST(ic.increment_value AS nvarchar(40)), N'')", "increment", &increment),
		c("ISNULL(CAST(ic.last_value AS nvarchar(40)), N'')", "identity_last", &last),
		c("ISNULL(ic.is_not_for_replication, 0)", "identity_nfr", &identityNFR),
		c("c.is_computed", "is_computed", &isComputed),
		c("ISNULL(cc.definition, N'')", "computed_definition", &computed),
		c("ISNULL(cc.is_persisted, 0)", "is_persisted", &persisted),
		c("ISNULL(dc.name, N'')", "default_name", &defName),
		c("ISNULL(dc.definition, N'')", "default_definition", &defDef),
		c("ISNULL(dc.is_system_named, 0)", "default_system_named", &defSystemNamed),
		c("c.is_sparse", "is_sparse", &col.Sparse),
		c("c.is_column_set", "is_column_set", &col.ColumnSet),
		c("c.is_rowguidcol", "is_rowguidcol", &col.RowGUIDCol),
		c("c.is_filestream", "is_filestream", &col.FileStream),
		c("ISNULL(SCHEMA_NAME(xc.schema_id) + N'.' + xc.name, N'')", "xml_schema", &xmlSchema),
		c("c.is_xml_document", "is_xml_document", &xmlDoc),
		cSince(version.SQL2016, "c.generated_always_type", "generated_always_type", noInt, &generated),
		cSince(version.SQL2016, "c.is_hidden", "is_hidden", noBit, &col.Hidden),
		cSince(version.SQL2016, "ISNULL((SELECT mc.masking_function FROM sys.masked_columns AS mc WHERE mc.object_id = c.object_id AND mc.column_id = c.column_id), N'')", "masking_function", noText, &col.MaskFunction),
	}, from: "FROM sys.columns AS c\n" +
		"JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id\n" +
		"LEFT JOIN sys.identity_columns AS ic ON ic.object_id = c.object_id AND ic.column_id = c.column_id\n" +
		"LEFT JOIN sys.computed_columns AS cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id\n" +
		"LEFT JOIN sys.default_constraints AS dc ON dc.object_id = c.default_object_id\n" +
		"LEFT JOIN sys.xml_schema_collections AS xc ON xc.xml_collection_id = c.xml_collection_id AND c.xml_collection_id <> 0\n" +
		"WHERE c.object_id IN (SELECT object_id FROM sys.tables WHERE is_ms_shipped = 0 UNION ALL SELECT type_table_object_id FROM sys.table_types)\n" +
		"ORDER BY c.object_id, c.column_id",
		row: func() error {
			col := col
			col.Type = Type{Name: typeName, Schema: typeSchema, MaxLength: maxLen, Precision: precision, Scale: scale, XMLSchema: xmlSchema, XMLDoc: xmlDoc}
			col.GeneratedAlways = map[int]string{1: "ROW START", 2: "ROW END"}[generated]
			if identity {
				col.Identity = &Identity{Seed: seed, Increment: increment, NotForReplication: identityNFR, Last: last}
			}
			if isComputed {
				col.Computed = &Computed{Definition: computed, Persisted: persisted}
			}
			if defDef != "" {
				col.Default = &Default{Definition: defDef}
				if !defSystemNamed {
					col.Default.Name = defName
				}
			}
			a.cols[id] = append(a.cols[id], col)
			return nil
		}}
}

func (a *assembly) indexColumns() query {
	var id, indexID int64
	var ic indexColumn
	return query{name: "index_columns", cols: []column{
		c("ic.object_id", "object_id", &id),
		c("ic.index_id", "index_id", &indexID),
		c("c.name", "column_name", &ic.name),
		c("ic.is_descending_key", "is_descending", &ic.descending),
		c("ic.is_included_column", "is_included", &ic.included),
	}, from: "FROM sys.index_columns AS ic\n" +
		"JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id\n" +
		"ORDER BY ic.object_id, ic.index_id, ic.is_included_column, ic.key_ordinal, ic.index_column_id",
		row: func() error {
			k := [2]int64{id, indexID}
			a.idxCols[k] = append(a.idxCols[k], ic)
			return nil
		}}
}

func (a *assembly) indexes() query {
	var id, indexID int64
	var name, kind, filter, filegroup, compression, xmlUsing, xmlFor, tessellation string
	var unique, pk, uniqueConstraint, disabled, allowRowLocks, allowPageLocks bool
	var xmlType, cellsPerObject int
	var bbox [4]float64
	var grids [4]string
	var opt IndexOptions
	return query{name: "indexes", cols: []column{
		c("i.object_id", "object_id", &id),
		c("i.index_id", "index_id", &indexID),
		c("ISNULL(i.name, N'')", "name", &name),
		c("i.type_desc", "type_desc", &kind),
		c("i.is_unique", "is_unique", &unique),
		c("i.is_primary_key", "is_primary_key", &pk),
		c("i.is_unique_constraint", "is_unique_constraint", &uniqueConstraint),
		c("ISNULL(i.filter_definition, N'')", "filter", &filter),
		c("i.fill_factor", "fill_factor", &opt.FillFactor),
		c("i.is_padded", "is_padded", &opt.PadIndex),
		c("i.ignore_dup_key", "ignore_dup_key", &opt.IgnoreDupKey),
		c("i.allow_row_locks", "allow_row_locks", &allowRowLocks),
		c("i.allow_page_locks", "allow_page_locks", &allowPageLocks),
		c("i.is_disabled", "is_disabled", &disabled),
		c("ISNULL(ds.name, N'')", "filegroup", &filegroup),
		c("ISNULL((SELECT TOP (1) p.data_compression_desc FROM sys.partitions AS p WHERE p.object_id = i.object_id AND p.index_id = i.index_id ORDER BY p.partition_number), N'NONE')", "data_compression", &compression),
		cSince(version.SQL2016, "ISNULL(i.compression_delay, 0)", "compression_delay", noInt, &opt.CompressionDelay),
		cSince(version.SQL2019, "i.optimize_for_sequential_key", "optimize_for_sequential_key", noBit, &opt.OptimizeForSequentialKey),
		c("ISNULL((SELECT p.name FROM sys.indexes AS p WHERE p.object_id = xi.object_id AND p.index_id = xi.using_xml_index_id), N'')", "xml_using", &xmlUsing),
		c("ISNULL(xi.secondary_type_desc, N'')", "xml_for", &xmlFor),
		// 2012 SP1 added selective XML indexes and this column.
		cSince(version.SQL2012, "ISNULL(xi.xml_index_type, 0)", "xml_index_type", noInt, &xmlType),
		c("ISNULL(st.tessellation_scheme, N'')", "tessellation", &tessellation),
		c("st.bounding_box_xmin", "bounding_box_xmin", &bbox[0]),
		c("st.bounding_box_ymin", "bounding_box_ymin", &bbox[1]),
		c("st.bounding_box_xmax", "bounding_box_xmax", &bbox[2]),
		c("st.bounding_box_ymax", "bounding_box_ymax", &bbox[3]),
		c("ISNULL(st.level_1_grid_desc, N'')", "level_1_grid", &grids[0]),
		c("ISNULL(st.level_2_grid_desc, N'')", "level_2_grid", &grids[1]),
		c("ISNULL(st.level_3_grid_desc, N'')", "level_3_grid", &grids[2]),
		c("ISNULL(st.level_4_grid_desc, N'')", "level_4_grid", &grids[3]),
		c("ISNULL(st.cells_per_object, 0)", "cells_per_object", &cellsPerObject),
	}, from: "FROM sys.indexes AS i\n" +
		"LEFT JOIN sys.data_spaces AS ds ON ds.data_space_id = i.data_space_id AND ds.type = 'FG'\n" +
		"LEFT JOIN sys.xml_indexes AS xi ON xi.object_id = i.object_id AND xi.index_id = i.index_id\n" +
		"LEFT JOIN sys.spatial_index_tessellations AS st ON st.object_id = i.object_id AND st.index_id = i.index_id\n" +
		"WHERE i.type > 0 AND i.is_hypothetical = 0\n" +
		"  AND i.object_id IN (SELECT object_id FROM sys.tables WHERE is_ms_shipped = 0 UNION ALL SELECT object_id FROM sys.views WHERE is_ms_shipped = 0 UNION ALL SELECT type_table_object_id FROM sys.table_types)\n" +
		"ORDER BY i.object_id, i.index_id",
		row: func() error {
			if xmlType >= 2 {
				return fmt.Errorf("XML index %s on object %d is a selective XML index: %w", name, id, ErrUnsupported)
			}
			k := a.keys[id]
			if k == nil {
				k = &tableKeys{}
				a.keys[id] = k
			}
			o := opt
			o.NoRowLocks, o.NoPageLocks = !allowRowLocks, !allowPageLocks
			if compression != "NONE" {
				o.DataCompression = compression
			}
			var keyCols []IndexColumn
			var included []string
			for _, ic := range a.idxCols[[2]int64{id, indexID}] {
				if ic.included {
					included = append(included, ic.name)
				} else {
					keyCols = append(keyCols, IndexColumn{Name: ic.name, Descending: ic.descending})
				}
			}
			if pk || uniqueConstraint {
				key := Key{Name: name, Clustered: kind == "CLUSTERED", Columns: keyCols, Filegroup: filegroup, Options: o}
				if pk {
					k.pk = &key
				} else {
					k.uniques = append(k.uniques, key)
				}
				return nil
			}
			ix := Index{Name: name, Kind: kind, Unique: unique, Columns: keyCols, Included: included, Filter: filter,
				Filegroup: filegroup, Options: o, Disabled: disabled}
			if xmlUsing != "" {
				ix.XML = &XMLIndex{Using: xmlUsing, For: xmlFor}
			}
			if tessellation != "" {
				ix.Spatial = spatialOf(tessellation, bbox, grids, cellsPerObject)
			}
			k.indexes = append(k.indexes, ix)
			return nil
		}}
}

// spatialOf builds a spatial index's tessellation from its catalog row:
// only geometry grids have a bounding box, only non-AUTO grids have levels.
func spatialOf(scheme string, bbox [4]float64, grids [4]string, cells int) *SpatialIndex {
	sp := &SpatialIndex{Tessellation: scheme, CellsPerObject: cells}
	if strings.HasPrefix(scheme, "GEOMETRY") {
		sp.BoundingBox = bbox[:]
	}
	if grids[0] != "" {
		sp.Grids = grids[:]
	}
	return sp
}

func (a *assembly) foreignKeyColumns() query {
	var fkID int64
	var col fkColumn
	return query{name: "foreign_key_columns", cols: []column{
		c("fkc.constraint_object_id", "fk_id", &fkID),
		c("COL_NAME(fkc.parent_object_id, fkc.parent_column_id)", "column_name", &col.column),
		c("COL_NAME(fkc.referenced_object_id, fkc.referenced_column_id)", "ref_column_name", &col.refColumn),
	}, from: "FROM sys.foreign_key_columns AS fkc\nORDER BY fkc.constraint_object_id, fkc.constraint_column_id",
		row: func() error { a.fkCols[fkID] = append(a.fkCols[fkID], col); return nil }}
}

func (a *assembly) foreignKeys() query {
	var fkID, id int64
	var fk ForeignKey
	var onDelete, onUpdate string
	return query{name: "foreign_keys", cols: []column{
		c("fk.object_id", "fk_id", &fkID),
		c("fk.parent_object_id", "object_id", &id),
		c("fk.name", "name", &fk.Name),
		c("OBJECT_SCHEMA_NAME(fk.referenced_object_id)", "ref_schema", &fk.RefSchema),
		c("OBJECT_NAME(fk.referenced_object_id)", "ref_table", &fk.RefTable),
		c("fk.delete_referential_action_desc", "on_delete", &onDelete),
		c("fk.update_referential_action_desc", "on_update", &onUpdate),
		c("fk.is_not_for_replication", "is_not_for_replication", &fk.NotForReplication),
		c("fk.is_disabled", "is_disabled", &fk.Disabled),
		c("fk.is_not_trusted", "is_not_trusted", &fk.NotTrusted),
	}, from: "FROM sys.foreign_keys AS fk\nWHERE fk.is_ms_shipped = 0\nORDER BY fk.parent_object_id, fk.name",
		row: func() error {
			fk := fk
			fk.OnDelete, fk.OnUpdate = action(onDelete), action(onUpdate)
			fk.Columns, fk.RefColumns = nil, nil
			for _, fc := range a.fkCols[fkID] {
				fk.Columns = append(fk.Columns, fc.column)
				fk.RefColumns = append(fk.RefColumns, fc.refColumn)
			}
			a.fks[id] = append(a.fks[id], fk)
			return nil
		}}
}

// action turns sys.foreign_keys' NO_ACTION / SET_NULL into T-SQL; "" is NO ACTION.
func action(desc string) string {
	if desc == "NO_ACTION" || desc == "" {
		return ""
	}
	return strings.ReplaceAll(desc, "_", " ")
}

func (a *assembly) checks() query {
	var id int64
	var ck Check
	return query{name: "checks", cols: []column{
		c("cc.parent_object_id", "object_id", &id),
		c("cc.name", "name", &ck.Name),
		c("cc.definition", "definition", &ck.Definition),
		c("cc.is_not_for_replication", "is_not_for_replication", &ck.NotForReplication),
		c("cc.is_disabled", "is_disabled", &ck.Disabled),
		c("cc.is_not_trusted", "is_not_trusted", &ck.NotTrusted),
	}, from: "FROM sys.check_constraints AS cc\nWHERE cc.is_ms_shipped = 0\nORDER BY cc.parent_object_id, cc.name",
		row: func() error { a.checkCons[id] = append(a.checkCons[id], ck); return nil }}
}

// attach gives t the columns, keys, indexes, foreign keys and checks read
// for object id.
func (a *assembly) attach(t *Table, id int64) {
	t.Columns = a.cols[id]
	if k := a.keys[id]; k != nil {
		t.PrimaryKey, t.Uniques, t.Indexes = k.pk, k.uniques, k.indexes
	}
	t.ForeignKeys = a.fks[id]
	t.Checks = a.checkCons[id]
}

func (a *assembly) types() query {
	var u UserType
	var base Type
	var isTable, isAssembly bool
	var tableID int64
	return query{name: "types", cols: []column{
		c("SCHEMA_NAME(t.schema_id)", "schema_name", &u.Schema),
		c("t.name", "name", &u.Name),
		c("TYPE_NAME(t.system_type_id)", "base_type", &base.Name),
		c("t.max_length", "max_length", &base.MaxLength),
		c("t.precision", "precision", &base.Precision),
		c("t.scale", "scale", &base.Scale),
		c("t.is_nullable", "is_nullable", &u.Nullable),
		c("t.is_table_type", "is_table_type", &isTable),
		c("ISNULL((SELECT tt.type_table_object_id FROM sys.table_types AS tt WHERE tt.user_type_id = t.user_type_id), 0)", "table_object_id", &tableID),
		c("t.is_assembly_type", "is_assembly_type", &isAssembly),
	}, from: "FROM sys.types AS t\nWHERE t.is_user_defined = 1\nORDER BY SCHEMA_NAME(t.schema_id), t.name",
		row: func() error {
			u := u
			if isAssembly {
				return fmt.Errorf("CLR type %s.%s (assemblies are not read): %w", u.Schema, u.Name, ErrUnsupported)
			}
			if isTable {
				t := &Table{Schema: u.Schema, Name: u.Name}
				a.attach(t, tableID)
				u.Table = t
			} else {
				u.Base = base
			}
			a.s.Types = append(a.s.Types, u)
			return nil
		}}
}

func (a *assembly) sequences() query {
	var sq Sequence
	var cached bool
	return query{name: "sequences", cols: []column{
		c("SCHEMA_NAME(s.schema_id)", "schema_name", &sq.Schema),
		c("s.name", "name", &sq.Name),
		c("TYPE_NAME(s.user_type_id)", "type_name", &sq.Type.Name),
		c("s.precision", "precision", &sq.Type.Precision),
		c("s.scale", "scale", &sq.Type.Scale),
		c("CAST(s.start_value AS nvarchar(40))", "start_value", &sq.Start),
		c("CAST(s.increment AS nvarchar(40))", "increment", &sq.Increment),
		c("CAST(s.minimum_value AS nvarchar(40))", "minimum_value", &sq.Min),
		c("CAST(s.maximum_value AS nvarchar(40))", "maximum_value", &sq.Max),
		c("s.is_cycling", "is_cycling", &sq.Cycle),
		c("s.is_cached", "is_cached", &cached),
		c("ISNULL(s.cache_size, 0)", "cache_size", &sq.Cache),
		c("ISNULL(CAST(s.current_value AS nvarchar(40)), N'')", "current_value", &sq.Current),
	}, from: "FROM sys.sequences AS s\nORDER BY SCHEMA_NAME(s.schema_id), s.name",
		row: func() error {
			sq := sq
			sq.NoCache = !cached
			a.s.Sequences = append(a.s.Sequences, sq)
			return nil
		}}
}

func (a *assembly) synonyms() query {
	var sy Synonym
	return query{name: "synonyms", cols: []column{
		c("SCHEMA_NAME(s.schema_id)", "schema_name", &sy.Schema),
		c("s.name", "name", &sy.Name),
		c("s.base_object_name", "target", &sy.Target),
	}, from: "FROM sys.synonyms AS s\nORDER BY SCHEMA_NAME(s.schema_id), s.name",
		row: func() error { a.s.Synonyms = append(a.s.Synonyms, sy); return nil }}
}

func (a *assembly) tables() query {
	var id int64
	var t Table
	var compression, durability, historySchema, historyTable string
	var fileTable, external, graph bool
	var temporalType, ledger int
	return query{name: "tables", cols: []column{
		c("t.object_id", "object_id", &id),
		c("SCHEMA_NAME(t.schema_id)", "schema_name", &t.Schema),
		c("t.name", "name", &t.Name),
		c("ISNULL((SELECT ds.name FROM sys.indexes AS i JOIN sys.data_spaces AS ds ON ds.data_space_id = i.data_space_id AND ds.type = 'FG' WHERE i.object_id = t.object_id AND i.index_id < 2), N'')", "filegroup", &t.Filegroup),
		c("ISNULL(FILEGROUP_NAME(NULLIF(t.lob_data_space_id, 0)), N'')", "textimage_filegroup", &t.TextImageFilegroup),
		c("ISNULL(FILEGROUP_NAME(NULLIF(t.filestream_data_space_id, 0)), N'')", "filestream_filegroup", &t.FilestreamFilegroup),
		c("t.lock_escalation_desc", "lock_escalation", &t.LockEscalation),
		c("ISNULL((SELECT TOP (1) p.data_compression_desc FROM sys.partitions AS p WHERE p.object_id = t.object_id AND p.index_id < 2 ORDER BY p.partition_number), N'NONE')", "data_compression", &compression),
		c("ISNULL((SELECT SUM(p.rows) FROM sys.partitions AS p WHERE p.object_id = t.object_id AND p.index_id < 2), 0)", "row_count", &t.RowCount),
		cSince(version.SQL2012, "t.is_filetable", "is_filetable", noBit, &fileTable),
		cSince(version.SQL2014, "t.is_memory_optimized", "is_memory_optimized", noBit, &t.MemoryOptimized),
		cSince(version.SQL2014, "t.durability_desc", "durability", noText, &durability),
		cSince(version.SQL2016, "t.temporal_type", "temporal_type", noInt, &temporalType),
		cSince(version.SQL2016, "ISNULL(OBJECT_SCHEMA_NAME(t.history_table_id), N'')", "history_schema", noText, &historySchema),
		cSince(version.SQL2016, "ISNULL(OBJECT_NAME(t.history_table_id), N'')", "history_table", noText, &historyTable),
		cSince(version.SQL2016, "t.is_external", "is_external", noBit, &external),
		cSince(version.SQL2017, "t.is_node | t.is_edge", "is_graph", noBit, &graph),
		cSince(version.SQL2022, "t.ledger_type", "ledger_type", noInt, &ledger),
	}, from: "FROM sys.tables AS t\nWHERE t.is_ms_shipped = 0\nORDER BY SCHEMA_NAME(t.schema_id), t.name",
		row: func() error {
			t := t
			if fileTable || external || graph {
				return fmt.Errorf("table %s.%s is a FileTable, external or graph table: %w", t.Schema, t.Name, ErrUnsupported)
			}
			if compression != "NONE" {
				t.DataCompression = compression
			}
			if t.MemoryOptimized {
				t.Durability = durability
			}
			a.attach(&t, id)
			if temporalType == 2 {
				t.Temporal = temporalOf(t.Columns, historySchema, historyTable)
			}
			a.s.Tables = append(a.s.Tables, t)
			return nil
		}}
}

// temporalOf names the history table and finds the period columns of a
// system-versioned table.
func temporalOf(cols []Column, historySchema, historyTable string) *Temporal {
	tp := &Temporal{HistorySchema: historySchema, HistoryTable: historyTable}
	for _, c := range cols {
		switch c.GeneratedAlways {
		case "ROW START":
			tp.PeriodStart = c.Name
		case "ROW END":
			tp.PeriodEnd = c.Name
		}
	}
	return tp
}

func (a *assembly) modules() query {
	var id int64
	var m Module
	var typ string
	var native bool
	return query{name: "modules", cols: []column{
		c("o.object_id", "object_id", &id),
		c("SCHEMA_NAME(o.schema_id)", "schema_name", &m.Schema),
		c("o.name", "name", &m.Name),
		c("o.type", "type", &typ),
		c("ISNULL(OBJECT_SCHEMA_NAME(NULLIF(o.parent_object_id, 0)), N'')", "parent_schema", &m.ParentSchema),
		c("ISNULL(OBJECT_NAME(NULLIF(o.parent_object_id, 0)), N'')", "parent_name", &m.ParentTable),
		c("m.definition", "definition", &m.Definition),
		c("m.uses_ansi_nulls", "uses_ansi_nulls", &m.AnsiNulls),
		c("m.uses_quoted_identifier", "uses_quoted_identifier", &m.QuotedIdentifier),
		c("m.is_schema_bound", "is_schema_bound", &m.SchemaBound),
		c("ISNULL((SELECT tr.is_disabled FROM sys.triggers AS tr WHERE tr.object_id = o.object_id), 0)", "is_disabled", &m.Disabled),
		cSince(version.SQL2014, "m.uses_native_compilation", "uses_native_compilation", noBit, &native),
	}, from: "FROM sys.sql_modules AS m\n" +
		"JOIN sys.objects AS o ON o.object_id = m.object_id\n" +
		"WHERE o.is_ms_shipped = 0 AND o.type IN ('V', 'P', 'FN', 'IF', 'TF', 'TR')\n" +
		"ORDER BY SCHEMA_NAME(o.schema_id), o.name",
		row: func() error {
			m := m
			if m.Definition == "" {
				return fmt.Errorf("%s.%s is encrypted (WITH ENCRYPTION), its body cannot be read: %w", m.Schema, m.Name, ErrUnsupported)
			}
			switch strings.TrimSpace(typ) {
			case "V":
				m.Kind = View
				if k := a.keys[id]; k != nil {
					m.Indexes = k.indexes
				}
			case "P":
				m.Kind = Procedure
			case "TR":
				m.Kind = Trigger
			default:
				m.Kind = Function
			}
			if m.Kind != Trigger {
				m.ParentSchema, m.ParentTable = "", ""
			}
			a.s.Modules = append(a.s.Modules, m)
			return nil
		}}
}

// level1Types names the object types that extended properties are
// scripted for.
var level1Types = map[string]string{"U": "TABLE", "V": "VIEW", "P": "PROCEDURE", "FN": "FUNCTION", "IF": "FUNCTION", "TF": "FUNCTION", "SO": "SEQUENCE", "SN": "SYNONYM"}

func (a *assembly) extendedProperties() query {
	var class int
	var p Property
	var objectName, objectType, minor string
	return query{name: "extended_properties", cols: []column{
		c("ep.class", "class", &class),
		c("ep.name", "name", &p.Name),
		c("CAST(ep.value AS nvarchar(4000))", "value", &p.Value),
		c("CASE ep.class WHEN 1 THEN OBJECT_SCHEMA_NAME(ep.major_id) WHEN 3 THEN SCHEMA_NAME(ep.major_id) WHEN 7 THEN OBJECT_SCHEMA_NAME(ep.major_id) ELSE N'' END", "schema_name", &p.Schema),
		c("CASE WHEN ep.class IN (1, 7) THEN OBJECT_NAME(ep.major_id) ELSE N'' END", "object_name", &objectName),
		c("CASE WHEN ep.class IN (1, 7) THEN (SELECT o.type FROM sys.objects AS o WHERE o.object_id = ep.major_id) ELSE '' END", "object_type", &objectType),
		c("CASE WHEN ep.class = 1 AND ep.minor_id > 0 THEN COL_NAME(ep.major_id, ep.minor_id) WHEN ep.class = 7 THEN (SELECT i.name FROM sys.indexes AS i WHERE i.object_id = ep.major_id AND i.index_id = ep.minor_id) ELSE N'' END", "minor_name", &minor),
	}, from: "FROM sys.extended_properties AS ep\n" +
		"WHERE ep.class IN (0, 1, 3, 7)\n" +
		"  AND (ep.class <> 1 OR OBJECTPROPERTY(ep.major_id, 'IsMSShipped') = 0)\n" +
		"ORDER BY ep.class, ep.major_id, ep.minor_id, ep.name",
		row: func() error {
			p := p
			switch class {
			case 0:
				p.Schema = ""
			case 1, 7:
				p.Level1 = objectName
				p.Level1Type = level1Types[strings.TrimSpace(objectType)]
				if p.Level1Type == "" {
					return nil // a constraint's or trigger's own property: not scripted
				}
				if minor != "" {
					p.Level2, p.Level2Type = minor, "COLUMN"
					if class == 7 {
						p.Level2Type = "INDEX"
					}
				}
			}
			a.s.Properties = append(a.s.Properties, p)
			return nil
		}}
}

func (a *assembly) principals() query {
	var p Principal
	var typ string
	return query{name: "principals", cols: []column{
		c("p.name", "name", &p.Name),
		c("p.type", "type", &typ),
		c("ISNULL(SUSER_SNAME(p.sid), N'')", "login", &p.Login),
		c("ISNULL(p.default_schema_name, N'')", "default_schema", &p.DefaultSchema),
	}, from: "FROM sys.database_principals AS p\n" +
		"WHERE p.type IN ('S', 'U', 'G', 'R') AND p.is_fixed_role = 0 AND p.principal_id > 4 AND p.name <> N'public'\n" +
		"ORDER BY p.type, p.name",
		row: func() error {
			p := p
			p.Kind = map[string]string{"S": "SQL_USER", "U": "WINDOWS_USER", "G": "WINDOWS_GROUP", "R": "DATABASE_ROLE"}[strings.TrimSpace(typ)]
			p.WithoutLogin = p.Kind == "SQL_USER" && p.Login == ""
			a.s.Principals = append(a.s.Principals, p)
			return nil
		}}
}

func (a *assembly) roleMembers() query {
	var m RoleMember
	return query{name: "role_members", cols: []column{
		c("USER_NAME(rm.role_principal_id)", "role_name", &m.Role),
		c("USER_NAME(rm.member_principal_id)", "member_name", &m.Member),
	}, from: "FROM sys.database_role_members AS rm\nWHERE rm.member_principal_id > 4\nORDER BY 1, 2",
		row: func() error { a.s.RoleMembers = append(a.s.RoleMembers, m); return nil }}
}

// dependencies reads sys.sql_expression_dependencies. A check or default
// constraint counts as its table (with Via saying which); a trigger, like
// any module, as itself.
func (a *assembly) dependencies() query {
	var d Dependency
	const referencing = "CASE WHEN o.type IN ('C', 'D') THEN o.parent_object_id ELSE o.object_id END"
	return query{name: "dependencies", cols: []column{
		c("OBJECT_SCHEMA_NAME("+referencing+")", "schema_name", &d.Schema),
		c("OBJECT_NAME("+referencing+")", "name", &d.Name),
		c("OBJECT_SCHEMA_NAME(d.referenced_id)", "ref_schema", &d.RefSchema),
		c("OBJECT_NAME(d.referenced_id)", "ref_name", &d.RefName),
		c("CASE o.type WHEN 'C' THEN N'check' WHEN 'D' THEN N'default' WHEN 'U' THEN N'computed' ELSE N'' END", "via", &d.Via),
	}, from: "FROM sys.sql_expression_dependencies AS d\n" +
		"JOIN sys.objects AS o ON o.object_id = d.referencing_id\n" +
		"WHERE d.referenced_id IS NOT NULL AND d.referencing_class = 1 AND d.referenced_class = 1 AND o.is_ms_shipped = 0\n" +
		"ORDER BY 1, 2, 3, 4, 5",
		row: func() error {
			if d.Schema == d.RefSchema && d.Name == d.RefName {
				return nil
			}
			if n := len(a.s.Dependencies); n > 0 && a.s.Dependencies[n-1] == d {
				return nil // the same object through two columns or constraints
			}
			a.s.Dependencies = append(a.s.Dependencies, d)
			return nil
		}}
}

// scopedConfigurations reads the database scoped configurations (2016)
// that differ from their defaults: is_value_default says so from 2017 on;
// 2016 has four options, whose defaults are listed here.
func (a *assembly) scopedConfigurations() query {
	var sc ScopedConfiguration
	return query{name: "scoped_configurations", cols: []column{
		c("c.name", "name", &sc.Name),
		c("ISNULL(CAST(c.value AS nvarchar(4000)), N'')", "value", &sc.Value),
		c("ISNULL(CAST(c.value_for_secondary AS nvarchar(4000)), N'')", "value_for_secondary", &sc.ValueForSecondary),
	}, fromFor: func(v version.Version) string {
		changed := "c.is_value_default = 0"
		if v < version.SQL2017 {
			changed = "NOT ((c.name = N'MAXDOP' AND c.value = 0) OR (c.name = N'LEGACY_CARDINALITY_ESTIMATION' AND c.value = 0)" +
				" OR (c.name = N'PARAMETER_SNIFFING' AND c.value = 1) OR (c.name = N'QUERY_OPTIMIZER_HOTFIXES' AND c.value = 0))"
		}
		return "FROM sys.database_scoped_configurations AS c\nWHERE " + changed + " OR c.value_for_secondary IS NOT NULL\nORDER BY c.name"
	}, row: func() error {
		a.s.Database.ScopedConfigurations = append(a.s.Database.ScopedConfigurations, sc)
		return nil
	}}
}
