package downgrade

import (
	"fmt"

	"github.com/xdm-migrate/xdm/sql/version"
)

// Action is what the downgrade does with a feature the target does not have.
type Action int

// Actions, from harmless to blocking.
const (
	// Rewrite replaces the feature by older syntax that does the same.
	Rewrite Action = iota + 1
	// Omit removes the feature (an option, a clause, a statement) and warns:
	// the object is created without it.
	Omit
	// Warn keeps the text; it runs on the target but may behave differently
	// (an edition limit, say).
	Warn
	// Refuse keeps the text, which will fail on the target: a module body
	// that uses a newer function cannot be rewritten safely, and some
	// features have no older equivalent. The finding names object and line.
	Refuse
)

var actionNames = map[Action]string{Rewrite: "rewrite", Omit: "omit", Warn: "warn", Refuse: "refuse"}

func (a Action) String() string {
	if s, ok := actionNames[a]; ok {
		return s
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// MarshalText writes the action's name (for --json reports).
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Rule is one entry of the version table: a feature, the release that
// introduced it and what a downgrade to an older target does with it.
type Rule struct {
	ID         string          // stable name: "create-or-alter", "function-string-agg"
	Feature    string          // the syntax as a user would search for it
	Introduced version.Version // first release with the feature; 0 when it depends on the value (COMPATIBILITY_LEVEL)
	Action     Action
	Message    string // what xdm does about it, one sentence
}

// ruleDef is a Rule plus what the matcher needs: the words one of which
// every match contains as a code token (see prefilter.go) and the matcher.
type ruleDef struct {
	Rule
	words []string
	match func(b *batch, r *ruleDef)
}

// bodyFunctions are built-in functions newer than some target. A call in a
// module body cannot be rewritten safely, so each is refused with its line.
var bodyFunctions = []struct {
	name string
	v    version.Version
}{
	{"IIF", version.SQL2012}, {"CONCAT", version.SQL2012}, {"FORMAT", version.SQL2012},
	{"CHOOSE", version.SQL2012}, {"TRY_CONVERT", version.SQL2012}, {"TRY_CAST", version.SQL2012},
	{"TRY_PARSE", version.SQL2012}, {"PARSE", version.SQL2012}, {"EOMONTH", version.SQL2012},
	{"DATEFROMPARTS", version.SQL2012}, {"DATETIME2FROMPARTS", version.SQL2012}, {"DATETIMEFROMPARTS", version.SQL2012},
	{"TIMEFROMPARTS", version.SQL2012}, {"LAG", version.SQL2012}, {"LEAD", version.SQL2012},
	{"FIRST_VALUE", version.SQL2012}, {"LAST_VALUE", version.SQL2012},
	{"DATETIMEOFFSETFROMPARTS", version.SQL2012}, {"SMALLDATETIMEFROMPARTS", version.SQL2012},
	{"CUME_DIST", version.SQL2012}, {"PERCENT_RANK", version.SQL2012},
	{"PERCENTILE_CONT", version.SQL2012}, {"PERCENTILE_DISC", version.SQL2012},
	{"STRING_SPLIT", version.SQL2016}, {"STRING_ESCAPE", version.SQL2016}, {"OPENJSON", version.SQL2016},
	{"JSON_VALUE", version.SQL2016}, {"JSON_QUERY", version.SQL2016}, {"JSON_MODIFY", version.SQL2016},
	{"ISJSON", version.SQL2016}, {"COMPRESS", version.SQL2016}, {"DECOMPRESS", version.SQL2016},
	{"SESSION_CONTEXT", version.SQL2016}, {"DATEDIFF_BIG", version.SQL2016}, {"CURRENT_TRANSACTION_ID", version.SQL2016},
	{"STRING_AGG", version.SQL2017}, {"TRIM", version.SQL2017}, {"CONCAT_WS", version.SQL2017},
	{"TRANSLATE", version.SQL2017}, {"MATCH", version.SQL2017},
	{"APPROX_COUNT_DISTINCT", version.SQL2019},
	{"GREATEST", version.SQL2022}, {"LEAST", version.SQL2022}, {"DATE_BUCKET", version.SQL2022},
	{"GENERATE_SERIES", version.SQL2022}, {"DATETRUNC", version.SQL2022}, {"APPROX_PERCENTILE_CONT", version.SQL2022},
	{"APPROX_PERCENTILE_DISC", version.SQL2022}, {"JSON_OBJECT", version.SQL2022}, {"JSON_ARRAY", version.SQL2022},
	{"JSON_PATH_EXISTS", version.SQL2022}, {"BIT_COUNT", version.SQL2022},
	{"LEFT_SHIFT", version.SQL2022}, {"RIGHT_SHIFT", version.SQL2022}, {"GET_BIT", version.SQL2022}, {"SET_BIT", version.SQL2022},
	{"REGEXP_LIKE", version.SQL2025}, {"REGEXP_REPLACE", version.SQL2025}, {"REGEXP_SUBSTR", version.SQL2025},
	{"REGEXP_INSTR", version.SQL2025}, {"REGEXP_COUNT", version.SQL2025}, {"REGEXP_MATCHES", version.SQL2025},
	{"REGEXP_SPLIT_TO_TABLE", version.SQL2025}, {"JSON_OBJECTAGG", version.SQL2025}, {"JSON_ARRAYAGG", version.SQL2025},
	{"JSON_CONTAINS", version.SQL2025}, {"UNISTR", version.SQL2025}, {"PRODUCT", version.SQL2025},
	{"BASE64_ENCODE", version.SQL2025}, {"BASE64_DECODE", version.SQL2025},
	{"EDIT_DISTANCE", version.SQL2025}, {"EDIT_DISTANCE_SIMILARITY", version.SQL2025},
	{"JARO_WINKLER_DISTANCE", version.SQL2025}, {"JARO_WINKLER_SIMILARITY", version.SQL2025},
	{"VECTOR_DISTANCE", version.SQL2025}, {"VECTOR_NORM", version.SQL2025}, {"VECTOR_NORMALIZE", version.SQL2025},
	{"VECTORPROPERTY", version.SQL2025},
}

// tableFunctions are the built-in functions above that return a table, so
// that they stand after FROM or JOIN where any other name is a table's.
var tableFunctions = map[string]bool{"OPENJSON": true, "STRING_SPLIT": true, "GENERATE_SERIES": true,
	"REGEXP_MATCHES": true, "REGEXP_SPLIT_TO_TABLE": true}

// ruleTable is the whole table, in the order docs/downgrade-rules.md lists it.
var ruleTable = buildRules()

func buildRules() []*ruleDef {
	rs := []*ruleDef{
		{Rule{"create-or-alter", "CREATE OR ALTER (PROCEDURE, FUNCTION, VIEW, TRIGGER)", version.SQL2016, Rewrite,
			"rewritten to a stub CREATE when the object is missing, then ALTER (keeps permissions); the stub raises an error naming the object when used"},
			[]string{"OR"}, matchCreateOrAlter},
		{Rule{"drop-if-exists", "DROP ... IF EXISTS", version.SQL2016, Rewrite,
			"rewritten to IF OBJECT_ID(...) / catalog checks, one DROP per object"},
			[]string{"EXISTS"}, matchDropIfExists},
		{Rule{"alter-table-drop-if-exists", "ALTER TABLE ... DROP COLUMN|CONSTRAINT IF EXISTS", version.SQL2016, Rewrite,
			"rewritten to COL_LENGTH / sys.objects checks, one ALTER TABLE per column or constraint"},
			[]string{"EXISTS"}, matchAlterTableDropIfExists},
		optionRule("optimize-for-sequential-key", "OPTIMIZE_FOR_SEQUENTIAL_KEY", version.SQL2019, indexList,
			"index option omitted"),
		resumableRule("RESUMABLE"),
		resumableRule("MAX_DURATION"),
		{Rule{"resumable-operation", "ALTER INDEX ... RESUME|PAUSE|ABORT", version.SQL2017, Omit,
			"statement omitted: the target has no resumable index operations (RESUMABLE is omitted where the statement does not take it), so there is none to resume, pause or abort"},
			[]string{"RESUME", "PAUSE", "ABORT"}, matchResumableOperation},
		optionRule("statistics-auto-drop", "AUTO_DROP", version.SQL2022, databaseList,
			"statistics option omitted: the statistics are created as ordinary ones, which block a later change of their columns until they are dropped"),
		{Rule{"wait-at-low-priority", "WAIT_AT_LOW_PRIORITY (...)", version.SQL2022, Omit,
			"lock priority option omitted where the statement does not take it (ALTER INDEX ... REBUILD, ALTER TABLE ... SWITCH, DROP INDEX before 2014, CREATE INDEX before 2022); the operation waits for its locks as usual"},
			[]string{"WAIT_AT_LOW_PRIORITY"}, matchWaitAtLowPriority},
		optionRule("xml-compression", "XML_COMPRESSION", version.SQL2022, indexList,
			"option omitted; XML columns are stored uncompressed"),
		{Rule{"data-compression", "DATA_COMPRESSION", version.SQL2016, Warn,
			"kept; before SQL Server 2016 SP1 data compression needs Enterprise (or Developer) Edition"},
			[]string{"DATA_COMPRESSION"}, matchDataCompression},
		optionRule("compression-delay", "COMPRESSION_DELAY", version.SQL2016, indexList,
			"columnstore option omitted"),
		{Rule{"columnstore-index", "CREATE [CLUSTERED|NONCLUSTERED] COLUMNSTORE INDEX", version.SQL2017, Omit,
			"omitted where the target cannot use it: before 2012 (none), clustered before 2014, nonclustered before 2016 (it makes the table read-only); a clustered one is kept with a warning on 2014 (no other index) and 2016 (no (max) column)"},
			[]string{"COLUMNSTORE"}, matchColumnstore},
		{Rule{"ordered-columnstore", "CREATE COLUMNSTORE INDEX ... ORDER (...)", version.SQL2022, Omit,
			"ORDER clause omitted; the columnstore index is created unordered"},
			[]string{"COLUMNSTORE"}, matchOrderedColumnstore},
		{Rule{"temporal-table", "PERIOD FOR SYSTEM_TIME, GENERATED ALWAYS AS ROW START|END, SYSTEM_VERSIONING", version.SQL2016, Omit,
			"system versioning omitted: the table and its history table are kept as plain tables; nothing records history on the target; the period columns become ordinary columns with defaults SYSUTCDATETIME() and 9999-12-31 23:59:59.9999999, so rows inserted without them load"},
			[]string{"SYSTEM_TIME", "GENERATED", "SYSTEM_VERSIONING"}, matchTemporal},
		optionRule("history-retention-period", "HISTORY_RETENTION_PERIOD", version.SQL2017, indexList,
			"system-versioning option omitted; the history table keeps every row"),
		optionRule("temporal-history-retention", "TEMPORAL_HISTORY_RETENTION", version.SQL2017, databaseList,
			"database option omitted; the target has no history retention"),
		{Rule{"ledger", "LEDGER = ON, GENERATED ALWAYS AS TRANSACTION_ID|SEQUENCE_NUMBER", version.SQL2022, Refuse,
			"a ledger table has no older equivalent (LEDGER = OFF is omitted)"},
			[]string{"LEDGER", "GENERATED"}, matchLedger},
		{Rule{"memory-optimized-table", "MEMORY_OPTIMIZED = ON, DURABILITY, NONCLUSTERED HASH ... BUCKET_COUNT, CONTAINS MEMORY_OPTIMIZED_DATA, WITH (SNAPSHOT)", version.SQL2014, Omit,
			"In-Memory OLTP omitted: the table or table type is created disk-based (a SCHEMA_ONLY table then keeps its rows), HASH indexes become nonclustered B-tree indexes without BUCKET_COUNT, a MEMORY_OPTIMIZED_DATA filegroup becomes an ordinary one, the table hint SNAPSHOT goes; each removal is reported"},
			[]string{"MEMORY_OPTIMIZED", "DURABILITY", "BUCKET_COUNT", "HASH", "MEMORY_OPTIMIZED_DATA", "SNAPSHOT"}, matchMemoryOptimized},
		optionRule("memory-optimized-table", "MEMORY_OPTIMIZED_ELEVATE_TO_SNAPSHOT", version.SQL2014, databaseList,
			"database option omitted; the target has no memory-optimized tables to elevate"),
		{Rule{"natively-compiled-module", "WITH NATIVE_COMPILATION ... BEGIN ATOMIC", version.SQL2016, Refuse,
			"natively compiled procedures need 2014, natively compiled functions and triggers and the ALTER of any natively compiled module 2016; an atomic block has no interpreted equivalent xdm could write safely, so the module is refused"},
			[]string{"NATIVE_COMPILATION", "ATOMIC"}, matchNativeModule},
		{Rule{"memory-optimized-alter-table", "ALTER TABLE ... ADD|ALTER|DROP INDEX", version.SQL2016, Refuse,
			"ALTER TABLE changes the indexes of memory-optimized tables from 2016 on; on 2014 drop and re-create the table with its indexes, on older targets (where the table is disk-based) use CREATE INDEX or DROP INDEX"},
			[]string{"INDEX"}, matchMemoryAlterTable},
		{Rule{"dynamic-data-masking", "MASKED WITH (FUNCTION = ...)", version.SQL2016, Omit,
			"mask omitted: the column's data is visible unmasked to every reader on the target"},
			[]string{"MASKED"}, matchMasked},
		{Rule{"always-encrypted", "ENCRYPTED WITH (...), COLUMN MASTER KEY, COLUMN ENCRYPTION KEY", version.SQL2016, Refuse,
			"Always Encrypted has no older equivalent; decrypt the data on the source first"},
			[]string{"ENCRYPTED", "ENCRYPTION", "MASTER"}, matchAlwaysEncrypted},
		{Rule{"graph-table", "CREATE TABLE ... AS NODE|EDGE", version.SQL2017, Refuse,
			"graph tables have no older equivalent"},
			[]string{"NODE", "EDGE"}, matchGraph},
		{Rule{"security-policy", "CREATE|ALTER SECURITY POLICY", version.SQL2016, Refuse,
			"row-level security has no older equivalent; leaving it out would expose every row (DROP SECURITY POLICY IF EXISTS is omitted: there is nothing to drop)"},
			[]string{"SECURITY"}, matchSecurityPolicy},
		{Rule{"utf8-collation", "COLLATE *_UTF8", version.SQL2019, Rewrite,
			"the UTF-8 collation is replaced by the same collation without _UTF8 (and without _SC before 2012; package sql/collation); char and varchar data keep only the characters of its code page, which is reported per column"},
			[]string{"COLLATE"}, matchCollation},
		{Rule{"newer-collation", "COLLATE *_SC, *_140_*", version.SQL2017, Rewrite,
			"version 140 collations become version 100 (with _SC from 2012), _SC is dropped before 2012, _VSS before 2017 (package sql/collation)"},
			[]string{"COLLATE"}, matchCollation},
		optionRule("catalog-collation", "CATALOG_COLLATION", version.SQL2019, databaseList,
			"database option omitted; the catalog uses the database collation"),
		{Rule{"database-scoped-configuration", "ALTER DATABASE SCOPED CONFIGURATION", version.SQL2016, Omit,
			"statement omitted; the report names the option, its value and the server-wide equivalent (trace flag or sp_configure) to set by hand"},
			[]string{"SCOPED"}, matchScopedConfiguration},
		{Rule{"alter-database-current", "ALTER DATABASE CURRENT", version.SQL2012, Rewrite,
			"rewritten to run as dynamic SQL on QUOTENAME(DB_NAME())"},
			[]string{"CURRENT"}, matchAlterDatabaseCurrent},
		{Rule{"filegroup-autogrow", "ALTER DATABASE ... MODIFY FILEGROUP ... AUTOGROW_ALL_FILES|AUTOGROW_SINGLE_FILE", version.SQL2016, Omit,
			"statement omitted; before 2016 the files of a filegroup grow together only with trace flag 1117 (server-wide)"},
			[]string{"AUTOGROW_ALL_FILES", "AUTOGROW_SINGLE_FILE"}, matchFilegroupAutogrow},
		optionRule("automatic-tuning", "AUTOMATIC_TUNING", version.SQL2017, databaseList,
			"database option omitted; the target does not correct plan regressions by itself"),
		optionRule("query-store", "QUERY_STORE", version.SQL2016, databaseList,
			"database option omitted; the target has no Query Store"),
		{Rule{"query-store-options", "QUERY_STORE (WAIT_STATS_CAPTURE_MODE, QUERY_CAPTURE_POLICY, QUERY_CAPTURE_MODE = CUSTOM)", version.SQL2019, Omit,
			"Query Store option omitted where the target lacks it (WAIT_STATS_CAPTURE_MODE before 2017, QUERY_CAPTURE_POLICY before 2019, where QUERY_CAPTURE_MODE = CUSTOM becomes AUTO); the rest of the Query Store settings stay"},
			[]string{"QUERY_STORE"}, matchQueryStoreOptions},
		{Rule{"encryption-scan", "ALTER DATABASE ... SET ENCRYPTION SUSPEND|RESUME", version.SQL2019, Omit,
			"database option omitted: before 2019 a TDE encryption scan cannot be paused or resumed; once started it runs to the end"},
			[]string{"ENCRYPTION"}, matchEncryptionScan},
		optionRule("accelerated-database-recovery", "ACCELERATED_DATABASE_RECOVERY", version.SQL2019, databaseList,
			"database option omitted"),
		optionRule("optimized-locking", "OPTIMIZED_LOCKING", version.SQL2025, databaseList,
			"database option omitted; the target locks rows as before (no transaction ID locking, no lock after qualification)"),
		optionRule("mixed-page-allocation", "MIXED_PAGE_ALLOCATION", version.SQL2016, databaseList,
			"database option omitted (before 2016 it is trace flag 1118)"),
		optionRule("delayed-durability", "DELAYED_DURABILITY", version.SQL2014, databaseList,
			"database option omitted; transactions are fully durable"),
		optionRule("target-recovery-time", "TARGET_RECOVERY_TIME", version.SQL2012, databaseList,
			"database option omitted; the server's recovery interval applies"),
		optionRule("filestream-options", "FILESTREAM (NON_TRANSACTED_ACCESS, DIRECTORY_NAME)", version.SQL2012, databaseList,
			"database FILESTREAM options omitted (FileTables need 2012); FILESTREAM data itself is kept"),
		{Rule{"containment", "CONTAINMENT = NONE|PARTIAL", version.SQL2012, Omit,
			"database option omitted; a partially contained database becomes an ordinary one"},
			[]string{"CONTAINMENT"}, matchContainment},
		{Rule{"incremental-statistics", "STATISTICS_INCREMENTAL, AUTO_CREATE_STATISTICS ON (INCREMENTAL = ...)", version.SQL2014, Omit,
			"incremental statistics omitted; statistics are built for the whole table"},
			[]string{"STATISTICS_INCREMENTAL", "INCREMENTAL"}, matchIncrementalStatistics},
		{Rule{"compatibility-level", "COMPATIBILITY_LEVEL", 0, Rewrite,
			"clamped to the highest level the target accepts"},
			[]string{"COMPATIBILITY_LEVEL"}, matchCompatibilityLevel},
		{Rule{"type-json", "json data type", version.SQL2025, Refuse,
			"the json type does not exist on the target; use nvarchar(max) by hand"},
			[]string{"JSON"}, matchNewType},
		{Rule{"type-vector", "vector data type", version.SQL2025, Refuse,
			"the vector type does not exist on the target"},
			[]string{"VECTOR"}, matchNewType},
		{Rule{"create-sequence", "CREATE SEQUENCE, NEXT VALUE FOR", version.SQL2012, Refuse,
			"sequences do not exist on the target (DROP SEQUENCE IF EXISTS is omitted: there is nothing to drop)"},
			[]string{"SEQUENCE", "NEXT"}, matchSequence},
		{Rule{"alter-role-member", "ALTER [SERVER] ROLE ... ADD|DROP MEMBER", version.SQL2012, Rewrite,
			"rewritten to sp_addrolemember / sp_droprolemember (sp_addsrvrolemember / sp_dropsrvrolemember for server roles)"},
			[]string{"ROLE"}, matchRoleMember},
		{Rule{"formatmessage-text", "FORMATMESSAGE('text', ...)", version.SQL2016, Refuse,
			"before 2016 FORMATMESSAGE takes only the number of a message in sys.messages; the statement, or the module using it, fails there"},
			[]string{"FORMATMESSAGE"}, matchFormatMessage},
		{Rule{"throw", "THROW", version.SQL2012, Refuse,
			"THROW does not exist on the target; use RAISERROR by hand"},
			[]string{"THROW"}, matchThrow},
		{Rule{"for-json", "FOR JSON", version.SQL2016, Refuse,
			"FOR JSON does not exist on the target"},
			[]string{"JSON"}, matchForJSON},
		{Rule{"at-time-zone", "AT TIME ZONE", version.SQL2016, Refuse,
			"AT TIME ZONE does not exist on the target"},
			[]string{"ZONE"}, matchAtTimeZone},
		{Rule{"temporal-query", "FOR SYSTEM_TIME (query)", version.SQL2016, Refuse,
			"temporal queries do not work on the target (the table is not system-versioned there)"},
			[]string{"SYSTEM_TIME"}, matchTemporalQuery},
		{Rule{"is-distinct-from", "IS [NOT] DISTINCT FROM", version.SQL2022, Refuse,
			"IS [NOT] DISTINCT FROM does not exist on the target"},
			[]string{"DISTINCT"}, matchIsDistinctFrom},
		{Rule{"window-clause", "WINDOW clause", version.SQL2022, Refuse,
			"named windows (WINDOW w AS (...)) do not exist on the target"},
			[]string{"WINDOW"}, matchWindowClause},
		{Rule{"offset-fetch", "ORDER BY ... OFFSET ... ROWS [FETCH ...]", version.SQL2012, Refuse,
			"OFFSET ... FETCH does not exist on the target (page with ROW_NUMBER() by hand); the statement, or the module using it, fails there"},
			[]string{"OFFSET"}, matchOffsetFetch},
		{Rule{"window-order", "ORDER BY, ROWS or RANGE in an aggregate's OVER (...)", version.SQL2012, Refuse,
			"before 2012 the OVER clause of an aggregate (SUM, COUNT, AVG ...) takes PARTITION BY only: no running totals, no ROWS or RANGE frame; the statement, or the module using it, fails there"},
			[]string{"OVER"}, matchWindowOrder},
		{Rule{"inline-index", "INDEX ix ... inside CREATE TABLE or a table variable", version.SQL2019, Rewrite,
			"an inline index needs 2014 (2016 when UNIQUE, filtered with WHERE or columnstore, 2019 with INCLUDE): it becomes CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] INDEX ix ON t (...) right after the table, options kept (those the target lacks are left out by their own rules); a columnstore one follows the columnstore-index rule; refused in a table variable, table type or function result, and on a memory-optimized table the target keeps"},
			[]string{"INDEX"}, matchInlineIndex},
		{Rule{"online-alter-column", "ALTER TABLE ... ALTER COLUMN ... WITH (ONLINE = ON)", version.SQL2016, Omit,
			"ONLINE omitted: the column is altered offline, with the table locked while it runs"},
			[]string{"ONLINE"}, matchOnlineAlterColumn},
		{Rule{"truncate-partitions", "TRUNCATE TABLE ... WITH (PARTITIONS (...))", version.SQL2016, Refuse,
			"truncating single partitions does not exist on the target; the statement fails there"},
			[]string{"PARTITIONS"}, matchTruncatePartitions},
		{Rule{"use-hint", "OPTION (USE HINT (...))", version.SQL2016, Refuse,
			"USE HINT does not exist on the target (from 2016 SP1); the statement, or the module using it, fails there"},
			[]string{"HINT"}, matchUseHint},
		{Rule{"select-into-filegroup", "SELECT ... INTO table ON filegroup", version.SQL2017, Refuse,
			"SELECT INTO a given filegroup does not exist on the target; the statement, or the module using it, fails there"},
			[]string{"INTO"}, matchSelectIntoFilegroup},
		{Rule{"bulk-csv", "BULK INSERT / OPENROWSET(BULK ...) with FORMAT = 'CSV', FIELDQUOTE", version.SQL2017, Refuse,
			"CSV files (FORMAT = 'CSV', FIELDQUOTE) are read from 2017 on; the statement, or the module using it, fails there"},
			[]string{"FORMAT", "FIELDQUOTE"}, matchBulkCSV},
		{Rule{"backup-to-url", "BACKUP ... TO URL, RESTORE ... FROM URL", version.SQL2012, Refuse,
			"backup to and restore from URL (Azure Blob Storage) need 2012 SP1 CU2; back up to DISK and copy the file"},
			[]string{"URL"}, matchBackupToURL},
		{Rule{"backup-encryption", "BACKUP ... WITH ENCRYPTION (...)", version.SQL2014, Refuse,
			"backup encryption does not exist on the target, and leaving it out would write the data unencrypted; encrypt the backup another way and remove the option by hand"},
			[]string{"ENCRYPTION"}, matchBackupEncryption},
		{Rule{"external-data-source", "CREATE|ALTER|DROP EXTERNAL DATA SOURCE|TABLE|FILE FORMAT", version.SQL2022, Refuse,
			"PolyBase objects need 2016; a data source needs 2017 for TYPE = BLOB_STORAGE, 2019 for sqlserver://, oracle://, teradata://, mongodb://, odbc:// locations and PUSHDOWN or CONNECTION_OPTIONS, 2022 for s3://, abs://, adls://; there is no older equivalent"},
			[]string{"EXTERNAL"}, matchExternal},
		{Rule{"session-context", "EXEC sp_set_session_context", version.SQL2016, Refuse,
			"sp_set_session_context does not exist on the target (nor SESSION_CONTEXT()): the call fails when it runs, also in a module, which is created all the same; CONTEXT_INFO is the older, binary equivalent"},
			[]string{"SP_SET_SESSION_CONTEXT", "EXEC", "EXECUTE"}, matchSessionContext},
		{Rule{"sensitivity-classification", "ADD|DROP SENSITIVITY CLASSIFICATION", version.SQL2019, Omit,
			"statement omitted: the target has no sensitivity classification; the column's label and information type are lost"},
			[]string{"SENSITIVITY"}, matchSensitivityClassification},
		{Rule{"inline-function", "CREATE FUNCTION ... WITH INLINE = ON|OFF", version.SQL2019, Refuse,
			"the INLINE option of scalar functions does not exist on the target; the function fails to create there"},
			[]string{"INLINE"}, matchInlineFunction},
		{Rule{"function-forms-2022", "LTRIM|RTRIM(x, characters), TRIM(LEADING|TRAILING|BOTH ...), STRING_SPLIT(..., enable_ordinal), ISJSON(x, type), IGNORE|RESPECT NULLS", version.SQL2022, Refuse,
			"this form of the built-in function is new in 2022; the statement, or the module using it, fails there"},
			[]string{"LTRIM", "RTRIM", "TRIM", "STRING_SPLIT", "ISJSON", "NULLS"}, matchFunctionForms2022},
	}
	for _, f := range bodyFunctions {
		name := f.name
		rs = append(rs, &ruleDef{Rule{"function-" + lowerDash(name), name + "()", f.v, Refuse,
			name + " is not a built-in function on the target; the statement, or the module using it, fails there"},
			[]string{name}, func(b *batch, r *ruleDef) { matchFunction(b, r, name) }})
	}
	return rs
}

// Rules returns the version table: every feature the downgrade knows, in the
// order of docs/downgrade-rules.md. Some rules span several features (the
// resumable rule covers RESUMABLE and MAX_DURATION); each is listed once.
func Rules() []Rule {
	var out []Rule
	seen := map[string]bool{}
	for _, r := range ruleTable {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		out = append(out, r.Rule)
	}
	return out
}

func lowerDash(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c == '_':
			b[i] = '-'
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
