package catalog

import (
	"strings"

	"github.com/xdm-migrate/xdm/sql/version"
)

// Query is one catalog query, named by what it reads.
type Query struct {
	Name string
	SQL  string
}

// field is one selected column. A field newer than the source (since >
// source version) is replaced by its absent expression, so a column that does
// not exist on the source's version is never named.
type field struct {
	expr   string
	alias  string
	since  version.Version
	absent string
}

func f(expr, alias string) field { return field{expr: expr, alias: alias} }

func since(v version.Version, expr, alias, absent string) field {
	return field{expr: expr, alias: alias, since: v, absent: absent}
}

func selectSQL(v version.Version, fields []field, from string) string {
	var b strings.Builder
	b.WriteString("SELECT\n")
	for i, fl := range fields {
		expr := fl.expr
		if fl.since != 0 && v < fl.since {
			expr = fl.absent
		}
		b.WriteString("  " + expr + " AS " + fl.alias)
		if i < len(fields)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(from)
	return b.String()
}

// Constants for absent columns.
const (
	noBit  = "CAST(0 AS bit)"
	noInt  = "CAST(0 AS int)"
	noText = "CAST(NULL AS nvarchar(4000))"
)

// Queries returns the catalog queries for a source server of version v, in
// the order Read runs them. Each selects only columns and views that exist on
// v; the values of newer features come back as constants.
func Queries(v version.Version) []Query {
	q := []Query{
		{"database", selectSQL(v, []field{
			f("d.name", "name"),
			f("d.collation_name", "collation"),
			f("d.compatibility_level", "compatibility_level"),
			f("d.recovery_model_desc", "recovery_model"),
			f("d.is_read_committed_snapshot_on", "rcsi"),
			f("CASE WHEN d.snapshot_isolation_state = 1 THEN 1 ELSE 0 END", "snapshot_isolation"),
			since(version.SQL2012, "(SELECT o.directory_name FROM sys.database_filestream_options AS o WHERE o.database_id = d.database_id)", "filestream_directory", noText),
		}, "FROM sys.databases AS d\nWHERE d.database_id = DB_ID()")},

		{"files", selectSQL(v, []field{
			f("ISNULL(fg.name, N'')", "filegroup"),
			f("ISNULL(fg.type, 'LG')", "filegroup_type"),
			f("ISNULL(fg.is_default, 0)", "is_default"),
			f("df.name", "name"),
			f("df.physical_name", "physical_name"),
			f("CAST(df.size AS bigint) * 8", "size_kb"),
			f("CASE WHEN df.max_size = -1 THEN CAST(-1 AS bigint) ELSE CAST(df.max_size AS bigint) * 8 END", "max_size_kb"),
			f("CASE WHEN df.is_percent_growth = 1 THEN 0 ELSE CAST(df.growth AS bigint) * 8 END", "growth_kb"),
			f("CASE WHEN df.is_percent_growth = 1 THEN df.growth ELSE 0 END", "growth_percent"),
		}, "FROM sys.database_files AS df\nLEFT JOIN sys.filegroups AS fg ON fg.data_space_id = df.data_space_id\nORDER BY df.file_id")},

		{"schemas", selectSQL(v, []field{
			f("s.name", "name"),
			f("USER_NAME(s.principal_id)", "owner"),
		}, "FROM sys.schemas AS s\nWHERE s.schema_id > 4 AND s.schema_id < 16384\nORDER BY s.name")},

		{"types", selectSQL(v, []field{
			f("SCHEMA_NAME(t.schema_id)", "schema_name"),
			f("t.name", "name"),
			f("TYPE_NAME(t.system_type_id)", "base_type"),
			f("t.max_length", "max_length"),
			f("t.precision", "precision"),
			f("t.scale", "scale"),
			f("t.is_nullable", "is_nullable"),
			f("t.is_table_type", "is_table_type"),
			f("ISNULL((SELECT tt.type_table_object_id FROM sys.table_types AS tt WHERE tt.user_type_id = t.user_type_id), 0)", "table_object_id"),
			f("t.is_assembly_type", "is_assembly_type"),
		}, "FROM sys.types AS t\nWHERE t.is_user_defined = 1\nORDER BY SCHEMA_NAME(t.schema_id), t.name")},

		{"synonyms", selectSQL(v, []field{
			f("SCHEMA_NAME(s.schema_id)", "schema_name"),
			f("s.name", "name"),
			f("s.base_object_name", "target"),
		}, "FROM sys.synonyms AS s\nORDER BY SCHEMA_NAME(s.schema_id), s.name")},

		{"tables", selectSQL(v, []field{
			f("t.object_id", "object_id"),
			f("SCHEMA_NAME(t.schema_id)", "schema_name"),
			f("t.name", "name"),
			f("ISNULL((SELECT ds.name FROM sys.indexes AS i JOIN sys.data_spaces AS ds ON ds.data_space_id = i.data_space_id AND ds.type = 'FG' WHERE i.object_id = t.object_id AND i.index_id < 2), N'')", "filegroup"),
			f("ISNULL(FILEGROUP_NAME(NULLIF(t.lob_data_space_id, 0)), N'')", "textimage_filegroup"),
			f("ISNULL(FILEGROUP_NAME(NULLIF(t.filestream_data_space_id, 0)), N'')", "filestream_filegroup"),
			f("t.lock_escalation_desc", "lock_escalation"),
			f("ISNULL((SELECT TOP (1) p.data_compression_desc FROM sys.partitions AS p WHERE p.object_id = t.object_id AND p.index_id < 2 ORDER BY p.partition_number), N'NONE')", "data_compression"),
			f("ISNULL((SELECT SUM(p.rows) FROM sys.partitions AS p WHERE p.object_id = t.object_id AND p.index_id < 2), 0)", "row_count"),
			since(version.SQL2012, "t.is_filetable", "is_filetable", noBit),
			since(version.SQL2014, "t.is_memory_optimized", "is_memory_optimized", noBit),
			since(version.SQL2014, "t.durability_desc", "durability", noText),
			since(version.SQL2016, "t.temporal_type", "temporal_type", noInt),
			since(version.SQL2016, "ISNULL(OBJECT_SCHEMA_NAME(t.history_table_id), N'')", "history_schema", noText),
			since(version.SQL2016, "ISNULL(OBJECT_NAME(t.history_table_id), N'')", "history_table", noText),
			since(version.SQL2016, "t.is_external", "is_external", noBit),
			since(version.SQL2017, "t.is_node | t.is_edge", "is_graph", noBit),
			since(version.SQL2022, "t.ledger_type", "ledger_type", noInt),
		}, "FROM sys.tables AS t\nWHERE t.is_ms_shipped = 0\nORDER BY SCHEMA_NAME(t.schema_id), t.name")},

		{"columns", selectSQL(v, []field{
			f("c.object_id", "object_id"),
			f("c.column_id", "column_id"),
			f("c.name", "name"),
			f("ty.name", "type_name"),
			f("CASE WHEN ty.is_user_defined = 1 THEN SCHEMA_NAME(ty.schema_id) ELSE N'' END", "type_schema"),
			f("c.max_length", "max_length"),
			f("c.precision", "precision"),
			f("c.scale", "scale"),
			f("c.is_nullable", "is_nullable"),
			f("ISNULL(c.collation_name, N'')", "collation"),
			f("c.is_identity", "is_identity"),
			f("ISNULL(CAST(ic.seed_value AS nvarchar(40)), N'')", "seed"),
			f("ISNULL(CAST(ic.increment_value AS nvarchar(40)), N'')", "increment"),
			f("ISNULL(ic.is_not_for_replication, 0)", "identity_nfr"),
			f("c.is_computed", "is_computed"),
			f("ISNULL(cc.definition, N'')", "computed_definition"),
			f("ISNULL(cc.is_persisted, 0)", "is_persisted"),
			f("ISNULL(dc.name, N'')", "default_name"),
			f("ISNULL(dc.definition, N'')", "default_definition"),
			f("ISNULL(dc.is_system_named, 0)", "default_system_named"),
			f("c.is_sparse", "is_sparse"),
			f("c.is_column_set", "is_column_set"),
			f("c.is_rowguidcol", "is_rowguidcol"),
			f("c.is_filestream", "is_filestream"),
			f("ISNULL(SCHEMA_NAME(xc.schema_id) + N'.' + xc.name, N'')", "xml_schema"),
			f("c.is_xml_document", "is_xml_document"),
			since(version.SQL2016, "c.generated_always_type", "generated_always_type", noInt),
			since(version.SQL2016, "c.is_hidden", "is_hidden", noBit),
			since(version.SQL2016, "ISNULL((SELECT mc.masking_function FROM sys.masked_columns AS mc WHERE mc.object_id = c.object_id AND mc.column_id = c.column_id), N'')", "masking_function", noText),
		}, "FROM sys.columns AS c\n"+
			"JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id\n"+
			"LEFT JOIN sys.identity_columns AS ic ON ic.object_id = c.object_id AND ic.column_id = c.column_id\n"+
			"LEFT JOIN sys.computed_columns AS cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id\n"+
			"LEFT JOIN sys.default_constraints AS dc ON dc.object_id = c.default_object_id\n"+
			"LEFT JOIN sys.xml_schema_collections AS xc ON xc.xml_collection_id = c.xml_collection_id AND c.xml_collection_id <> 0\n"+
			"WHERE c.object_id IN (SELECT object_id FROM sys.tables WHERE is_ms_shipped = 0 UNION ALL SELECT type_table_object_id FROM sys.table_types)\n"+
			"ORDER BY c.object_id, c.column_id")},

		{"indexes", selectSQL(v, []field{
			f("i.object_id", "object_id"),
			f("i.index_id", "index_id"),
			f("ISNULL(i.name, N'')", "name"),
			f("i.type_desc", "type_desc"),
			f("i.is_unique", "is_unique"),
			f("i.is_primary_key", "is_primary_key"),
			f("i.is_unique_constraint", "is_unique_constraint"),
			f("ISNULL(i.filter_definition, N'')", "filter"),
			f("i.fill_factor", "fill_factor"),
			f("i.is_padded", "is_padded"),
			f("i.ignore_dup_key", "ignore_dup_key"),
			f("i.allow_row_locks", "allow_row_locks"),
			f("i.allow_page_locks", "allow_page_locks"),
			f("i.is_disabled", "is_disabled"),
			f("ISNULL(ds.name, N'')", "filegroup"),
			f("ISNULL((SELECT TOP (1) p.data_compression_desc FROM sys.partitions AS p WHERE p.object_id = i.object_id AND p.index_id = i.index_id ORDER BY p.partition_number), N'NONE')", "data_compression"),
			since(version.SQL2016, "ISNULL(i.compression_delay, 0)", "compression_delay", noInt),
			since(version.SQL2019, "i.optimize_for_sequential_key", "optimize_for_sequential_key", noBit),
		}, "FROM sys.indexes AS i\n"+
			"LEFT JOIN sys.data_spaces AS ds ON ds.data_space_id = i.data_space_id AND ds.type = 'FG'\n"+
			"WHERE i.type > 0 AND i.is_hypothetical = 0\n"+
			"  AND i.object_id IN (SELECT object_id FROM sys.tables WHERE is_ms_shipped = 0 UNION ALL SELECT object_id FROM sys.views WHERE is_ms_shipped = 0 UNION ALL SELECT type_table_object_id FROM sys.table_types)\n"+
			"ORDER BY i.object_id, i.index_id")},

		{"index_columns", selectSQL(v, []field{
			f("ic.object_id", "object_id"),
			f("ic.index_id", "index_id"),
			f("c.name", "column_name"),
			f("ic.is_descending_key", "is_descending"),
			f("ic.is_included_column", "is_included"),
		}, "FROM sys.index_columns AS ic\n"+
			"JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id\n"+
			"ORDER BY ic.object_id, ic.index_id, ic.is_included_column, ic.key_ordinal, ic.index_column_id")},

		{"foreign_keys", selectSQL(v, []field{
			f("fk.object_id", "fk_id"),
			f("fk.parent_object_id", "object_id"),
			f("fk.name", "name"),
			f("OBJECT_SCHEMA_NAME(fk.referenced_object_id)", "ref_schema"),
			f("OBJECT_NAME(fk.referenced_object_id)", "ref_table"),
			f("fk.delete_referential_action_desc", "on_delete"),
			f("fk.update_referential_action_desc", "on_update"),
			f("fk.is_not_for_replication", "is_not_for_replication"),
			f("fk.is_disabled", "is_disabled"),
			f("fk.is_not_trusted", "is_not_trusted"),
		}, "FROM sys.foreign_keys AS fk\nWHERE fk.is_ms_shipped = 0\nORDER BY fk.parent_object_id, fk.name")},

		{"foreign_key_columns", selectSQL(v, []field{
			f("fkc.constraint_object_id", "fk_id"),
			f("COL_NAME(fkc.parent_object_id, fkc.parent_column_id)", "column_name"),
			f("COL_NAME(fkc.referenced_object_id, fkc.referenced_column_id)", "ref_column_name"),
		}, "FROM sys.foreign_key_columns AS fkc\nORDER BY fkc.constraint_object_id, fkc.constraint_column_id")},

		{"checks", selectSQL(v, []field{
			f("cc.parent_object_id", "object_id"),
			f("cc.name", "name"),
			f("cc.definition", "definition"),
			f("cc.is_not_for_replication", "is_not_for_replication"),
			f("cc.is_disabled", "is_disabled"),
			f("cc.is_not_trusted", "is_not_trusted"),
		}, "FROM sys.check_constraints AS cc\nWHERE cc.is_ms_shipped = 0\nORDER BY cc.parent_object_id, cc.name")},

		{"modules", selectSQL(v, []field{
			f("o.object_id", "object_id"),
			f("SCHEMA_NAME(o.schema_id)", "schema_name"),
			f("o.name", "name"),
			f("o.type", "type"),
			f("ISNULL(OBJECT_SCHEMA_NAME(NULLIF(o.parent_object_id, 0)), N'')", "parent_schema"),
			f("ISNULL(OBJECT_NAME(NULLIF(o.parent_object_id, 0)), N'')", "parent_name"),
			f("m.definition", "definition"),
			f("m.uses_ansi_nulls", "uses_ansi_nulls"),
			f("m.uses_quoted_identifier", "uses_quoted_identifier"),
			f("m.is_schema_bound", "is_schema_bound"),
			f("ISNULL((SELECT tr.is_disabled FROM sys.triggers AS tr WHERE tr.object_id = o.object_id), 0)", "is_disabled"),
			since(version.SQL2014, "m.uses_native_compilation", "uses_native_compilation", noBit),
		}, "FROM sys.sql_modules AS m\n"+
			"JOIN sys.objects AS o ON o.object_id = m.object_id\n"+
			"WHERE o.is_ms_shipped = 0 AND o.type IN ('V', 'P', 'FN', 'IF', 'TF', 'TR')\n"+
			"ORDER BY SCHEMA_NAME(o.schema_id), o.name")},

		{"extended_properties", selectSQL(v, []field{
			f("ep.class", "class"),
			f("ep.name", "name"),
			f("CAST(ep.value AS nvarchar(4000))", "value"),
			f("CASE ep.class WHEN 1 THEN OBJECT_SCHEMA_NAME(ep.major_id) WHEN 3 THEN SCHEMA_NAME(ep.major_id) WHEN 7 THEN OBJECT_SCHEMA_NAME(ep.major_id) ELSE N'' END", "schema_name"),
			f("CASE WHEN ep.class IN (1, 7) THEN OBJECT_NAME(ep.major_id) ELSE N'' END", "object_name"),
			f("CASE WHEN ep.class IN (1, 7) THEN (SELECT o.type FROM sys.objects AS o WHERE o.object_id = ep.major_id) ELSE '' END", "object_type"),
			f("CASE WHEN ep.class = 1 AND ep.minor_id > 0 THEN COL_NAME(ep.major_id, ep.minor_id) WHEN ep.class = 7 THEN (SELECT i.name FROM sys.indexes AS i WHERE i.object_id = ep.major_id AND i.index_id = ep.minor_id) ELSE N'' END", "minor_name"),
		}, "FROM sys.extended_properties AS ep\n"+
			"WHERE ep.class IN (0, 1, 3, 7)\n"+
			"  AND (ep.class <> 1 OR OBJECTPROPERTY(ep.major_id, 'IsMSShipped') = 0)\n"+
			"ORDER BY ep.class, ep.major_id, ep.minor_id, ep.name")},

		{"principals", selectSQL(v, []field{
			f("p.name", "name"),
			f("p.type", "type"),
			f("ISNULL(SUSER_SNAME(p.sid), N'')", "login"),
			f("ISNULL(p.default_schema_name, N'')", "default_schema"),
		}, "FROM sys.database_principals AS p\n"+
			"WHERE p.type IN ('S', 'U', 'G', 'R') AND p.is_fixed_role = 0 AND p.principal_id > 4 AND p.name <> N'public'\n"+
			"ORDER BY p.type, p.name")},

		{"role_members", selectSQL(v, []field{
			f("USER_NAME(rm.role_principal_id)", "role_name"),
			f("USER_NAME(rm.member_principal_id)", "member_name"),
		}, "FROM sys.database_role_members AS rm\nWHERE rm.member_principal_id > 4\nORDER BY 1, 2")},

		{"dependencies", selectSQL(v, []field{
			f("OBJECT_SCHEMA_NAME(COALESCE(NULLIF(o.parent_object_id, 0), o.object_id))", "schema_name"),
			f("OBJECT_NAME(COALESCE(NULLIF(o.parent_object_id, 0), o.object_id))", "name"),
			f("OBJECT_SCHEMA_NAME(d.referenced_id)", "ref_schema"),
			f("OBJECT_NAME(d.referenced_id)", "ref_name"),
		}, "FROM sys.sql_expression_dependencies AS d\n"+
			"JOIN sys.objects AS o ON o.object_id = d.referencing_id\n"+
			"WHERE d.referenced_id IS NOT NULL AND d.referencing_class = 1 AND d.referenced_class = 1 AND o.is_ms_shipped = 0\n"+
			"ORDER BY 1, 2, 3, 4")},
	}
	if v >= version.SQL2012 {
		q = append(q, Query{"sequences", selectSQL(v, []field{
			f("SCHEMA_NAME(s.schema_id)", "schema_name"),
			f("s.name", "name"),
			f("TYPE_NAME(s.user_type_id)", "type_name"),
			f("s.precision", "precision"),
			f("s.scale", "scale"),
			f("CAST(s.start_value AS nvarchar(40))", "start_value"),
			f("CAST(s.increment AS nvarchar(40))", "increment"),
			f("CAST(s.minimum_value AS nvarchar(40))", "minimum_value"),
			f("CAST(s.maximum_value AS nvarchar(40))", "maximum_value"),
			f("s.is_cycling", "is_cycling"),
			f("s.is_cached", "is_cached"),
			f("ISNULL(s.cache_size, 0)", "cache_size"),
			f("ISNULL(CAST(s.current_value AS nvarchar(40)), N'')", "current_value"),
		}, "FROM sys.sequences AS s\nORDER BY SCHEMA_NAME(s.schema_id), s.name")})
	}
	return q
}
