package downgrade

import (
	"strings"

	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Database, backup and server features whose release the parser alone
// cannot tell (an option value, a procedure name) or that it does not know.
// Each cites the Microsoft Docs page that dates it.

// queryStoreOptions are the Query Store options newer than the Query Store
// itself (2016). "ALTER DATABASE SET options", QUERY_STORE:
// WAIT_STATS_CAPTURE_MODE "Applies to: SQL Server 2017 (14.x) and later";
// QUERY_CAPTURE_POLICY and QUERY_CAPTURE_MODE = CUSTOM "Applies to: SQL
// Server 2019 (15.x) and later".
var queryStoreOptions = map[string]struct {
	since version.Version
	loss  string
}{
	"WAIT_STATS_CAPTURE_MODE": {version.SQL2017, "the Query Store collects no wait statistics before 2017"},
	"QUERY_CAPTURE_POLICY":    {version.SQL2019, "the custom capture thresholds are lost; QUERY_CAPTURE_MODE decides which queries are captured"},
}

// matchQueryStoreOptions omits the newer options from QUERY_STORE (...) and
// QUERY_STORE = ON (...) of ALTER DATABASE ... SET, and turns
// QUERY_CAPTURE_MODE = CUSTOM into AUTO. Before 2016 the query-store rule
// omits QUERY_STORE as a whole.
func matchQueryStoreOptions(b *batch, r *ruleDef) {
	if b.target < version.SQL2016 {
		return
	}
	for _, i := range b.at("QUERY_STORE") {
		open := i + 1
		if b.punct(i+1, "=") && b.wordIn(i+2, "ON", "OFF") {
			open = i + 3
		}
		if !b.word(i, "QUERY_STORE") || !b.punct(open, "(") {
			continue
		}
		outer, item := b.listItem(i, databaseList)
		if outer == nil {
			continue
		}
		l := &optList{kind: indexList, intro: open, open: open, stmtFirst: -1, end: b.after(open)}
		l.items = b.splitItems(open+1, b.close[open], open)
		l.drop = make([]bool, len(l.items))
		dropped := 0
		for k, it := range l.items {
			name := b.upper(it[0])
			if o, ok := queryStoreOptions[name]; ok && b.target < o.since {
				l.drop[k] = true
				dropped++
				b.report(it[0], r, Omit, o.since, b.itemText(l, k)+": option omitted; "+o.loss)
			}
			if name == "QUERY_CAPTURE_MODE" && b.punct(it[0]+1, "=") && b.word(it[0]+2, "CUSTOM") && b.target < version.SQL2019 {
				b.replace(it[0]+2, it[0]+3, "AUTO")
				b.report(it[0], r, Omit, version.SQL2019, "QUERY_CAPTURE_MODE = CUSTOM becomes AUTO: the custom capture policy is lost, the server's own thresholds decide which queries are captured")
			}
		}
		switch {
		case dropped == 0:
		case dropped == len(l.items) && open == i+1:
			outer.drop[item] = true // SET QUERY_STORE () would not parse: the option goes
		default:
			b.lists[open] = l
		}
	}
}

// matchEncryptionScan omits SET ENCRYPTION SUSPEND | RESUME ("Transparent
// data encryption", "SQL Server 2019 (15.x) introduces" pausing and
// resuming the encryption scan).
func matchEncryptionScan(b *batch, r *ruleDef) {
	for _, i := range b.at("ENCRYPTION") {
		if !b.word(i, "ENCRYPTION") || !b.wordIn(i+1, "SUSPEND", "RESUME") {
			continue
		}
		if l, k := b.listItem(i, databaseList); l != nil {
			l.drop[k] = true
			b.report(i, r, Omit, 0, b.itemText(l, k)+": "+r.Message)
		}
	}
}

// matchBackupToURL refuses BACKUP ... TO URL and RESTORE ... FROM URL
// ("SQL Server backup to URL": "SQL Server 2012 SP1 CU2 and later").
func matchBackupToURL(b *batch, r *ruleDef) {
	for _, i := range b.at("URL") {
		if b.word(i, "URL") && b.wordIn(i-1, "TO", "FROM") && b.punct(i+1, "=") && b.stmtBack(i, "BACKUP", "RESTORE") >= 0 {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// matchBackupEncryption refuses BACKUP ... WITH ENCRYPTION (...)
// ("BACKUP (Transact-SQL)", ENCRYPTION: "Applies to: SQL Server 2014
// (12.x) and later"). Leaving it out would write the data unencrypted.
func matchBackupEncryption(b *batch, r *ruleDef) {
	for _, i := range b.at("ENCRYPTION") {
		if b.word(i, "ENCRYPTION") && b.punct(i+1, "(") && b.parentOf(i) < 0 && b.stmtBack(i, "BACKUP") >= 0 {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// externalLocations dates the LOCATION prefixes of CREATE EXTERNAL DATA
// SOURCE by the release whose page of "CREATE EXTERNAL DATA SOURCE" first
// lists them: hdfs and wasb[s] with 2016, the ODBC-based connectors with
// 2019, the S3 and Azure storage prefixes with 2022.
var externalLocations = map[string]version.Version{
	"hdfs": version.SQL2016, "wasb": version.SQL2016, "wasbs": version.SQL2016,
	"sqlserver": version.SQL2019, "oracle": version.SQL2019, "teradata": version.SQL2019,
	"mongodb": version.SQL2019, "odbc": version.SQL2019,
	"s3": version.SQL2022, "abs": version.SQL2022, "adls": version.SQL2022,
}

// matchExternal refuses CREATE|ALTER|DROP EXTERNAL DATA SOURCE | TABLE |
// FILE FORMAT (PolyBase, "Applies to: SQL Server 2016 (13.x) and later") where the
// target lacks it; a data source by the release its TYPE and LOCATION
// need: TYPE = BLOB_STORAGE 2017, PUSHDOWN and CONNECTION_OPTIONS 2019,
// the LOCATION prefixes as externalLocations says.
func matchExternal(b *batch, r *ruleDef) {
	for _, i := range b.at("CREATE", "ALTER", "DROP") {
		if !b.wordIn(i, "CREATE", "ALTER", "DROP") || !b.word(i+1, "EXTERNAL") {
			continue
		}
		since, what := version.SQL2016, ""
		switch {
		case b.word(i+2, "DATA") && b.word(i+3, "SOURCE"):
			if b.word(i, "CREATE") {
				since, what = b.externalSourceRelease(i + 4)
			}
		case b.word(i+2, "TABLE"), b.word(i+2, "FILE") && b.word(i+3, "FORMAT"):
		default:
			continue
		}
		if b.target >= since {
			continue
		}
		msg := r.Message
		if what != "" {
			msg = "an external data source with " + what + " needs " + since.String() + "; the statement, and the external tables using it, fail there"
		}
		b.report(i, r, Refuse, since, msg)
	}
}

// externalSourceRelease returns the release the data source whose name
// starts at toks[k] needs, and the option that decides it ("" for 2016).
func (b *batch) externalSourceRelease(k int) (version.Version, string) {
	next, parts := b.name(k)
	since, what := version.SQL2016, ""
	if parts == nil || !b.word(next, "WITH") || !b.punct(next+1, "(") {
		return since, what
	}
	raise := func(v version.Version, w string) {
		if v > since {
			since, what = v, w
		}
	}
	open := next + 1
	for _, it := range b.splitItems(open+1, b.close[open], open) {
		name, val := b.upper(it[0]), it[0]+2
		if !b.punct(it[0]+1, "=") || val >= it[1] {
			continue
		}
		switch {
		case name == "TYPE" && b.word(val, "BLOB_STORAGE"):
			raise(version.SQL2017, "TYPE = BLOB_STORAGE")
		case name == "PUSHDOWN" || name == "CONNECTION_OPTIONS":
			raise(version.SQL2019, name)
		case name == "LOCATION" && b.toks[val].Kind == tsql.String:
			_, loc, _, ok := unquoteLiteral(b.src, b.toks[val])
			prefix, _, found := strings.Cut(string(loc), "://")
			if v, known := externalLocations[strings.ToLower(prefix)]; ok && found && known {
				raise(v, "LOCATION = '"+strings.ToLower(prefix)+"://...'")
			}
		}
	}
	return since, what
}

// matchSessionContext refuses a call of sp_set_session_context ("Applies
// to: SQL Server 2016 (13.x) and later"): EXEC [@rc =] [sys.]name, or the
// name alone as the first statement of the batch.
func matchSessionContext(b *batch, r *ruleDef) {
	for _, i := range b.at("EXEC", "EXECUTE") {
		k := i + 1
		if k < len(b.toks) && b.toks[k].Kind == tsql.Variable && b.punct(k+1, "=") {
			k += 2
		}
		if next, parts := b.name(k); parts != nil && strings.EqualFold(last(parts), "sp_set_session_context") {
			b.refuseCall(next-1, r)
		}
	}
	if next, parts := b.name(0); parts != nil && b.word(next-1, "SP_SET_SESSION_CONTEXT") {
		b.refuseCall(next-1, r)
	}
}

// refuseCall refuses the call of a system procedure the target lacks. A
// module that calls it is still created (names of procedures are resolved
// when the call runs), so the report says when it fails rather than what
// is not created.
func (b *batch) refuseCall(i int, r *ruleDef) {
	msg := r.Message
	if obj := b.objectAt(i); obj != "" {
		msg = r.Message + "; " + obj + " is created, and fails when it runs this call"
	}
	b.add(i, r, Refuse, 0, msg)
}
