package downgrade

import (
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// matchDataCompression warns about DATA_COMPRESSION = ROW|PAGE|COLUMNSTORE...
// (anything but NONE) in an option list.
func matchDataCompression(b *batch, r *ruleDef) {
	for _, i := range b.at("DATA_COMPRESSION") {
		if l, _ := b.listItem(i, indexList); l != nil && b.word(i, "DATA_COMPRESSION") && !b.word(i+2, "NONE") {
			b.report(i, r, Warn, 0, "")
		}
	}
}

// matchOrderedColumnstore drops ORDER (...) from CREATE ... COLUMNSTORE INDEX.
func matchOrderedColumnstore(b *batch, r *ruleDef) {
	for _, i := range b.at("COLUMNSTORE") {
		if !b.word(i, "COLUMNSTORE") || !b.word(i+1, "INDEX") {
			continue
		}
		for k := i + 2; k < len(b.toks) && b.parent[k] == b.parent[i]; k++ {
			if b.punct(k, ";") || (k > i+2 && b.wordIn(k, stmtWords...)) {
				break
			}
			if b.word(k, "ORDER") && b.punct(k+1, "(") {
				b.remove(k, b.after(k+1), false)
				b.report(k, r, Omit, 0, "")
				break
			}
		}
	}
}

// matchTemporal strips system versioning: GENERATED ALWAYS AS ROW START|END
// [HIDDEN], PERIOD FOR SYSTEM_TIME (...), SYSTEM_VERSIONING = ... and the
// ALTER TABLE statements that only switch versioning.
func matchTemporal(b *batch, r *ruleDef) {
	for _, i := range b.at("GENERATED", "PERIOD", "SYSTEM_VERSIONING") {
		switch {
		case b.word(i, "GENERATED") && b.word(i+1, "ALWAYS") && b.word(i+2, "AS") && b.word(i+3, "ROW") &&
			b.wordIn(i+4, "START", "END"):
			b.periodColumn(i, r)
		case b.word(i, "PERIOD") && b.word(i+1, "FOR") && b.word(i+2, "SYSTEM_TIME"):
			end := i + 3
			if b.punct(end, "(") {
				end = b.after(end)
			}
			switch {
			case b.wordIn(i-1, "ADD", "DROP"):
				alter := b.stmtBack(i, "ALTER")
				if alter >= 0 && !b.punct(end, ",") && !b.punct(i-2, ",") {
					b.dropStatement(alter, end, true)
				} else if b.punct(end, ",") {
					b.remove(i, end+1, false)
				} else {
					b.report(i, r, Refuse, 0, "cannot strip PERIOD FOR SYSTEM_TIME from this ALTER TABLE; rewrite by hand")
					continue
				}
			case b.punct(i-1, ","):
				b.remove(i-1, end, false)
			case b.punct(end, ","):
				b.remove(i, end+1, false)
			default:
				b.remove(i, end, false)
			}
			b.report(i, r, Omit, 0, "")
		case b.word(i, "SYSTEM_VERSIONING"):
			b.dropOption(i, indexList, r)
		}
	}
}

// matchLedger refuses ledger tables and drops LEDGER = OFF.
func matchLedger(b *batch, r *ruleDef) {
	for _, i := range b.at("LEDGER", "GENERATED") {
		switch {
		case b.word(i, "LEDGER") && b.punct(i+1, "="):
			if b.word(i+2, "OFF") {
				kind := indexList
				if b.parent[i] == -1 {
					kind = databaseList
				}
				if l, k := b.listItem(i, kind); l != nil {
					l.drop[k] = true
					b.report(i, r, Omit, 0, "LEDGER = OFF omitted (the default)")
				}
				continue
			}
			b.report(i, r, Refuse, 0, "")
		case b.word(i, "GENERATED") && b.word(i+1, "ALWAYS") && b.word(i+2, "AS") &&
			b.wordIn(i+3, "TRANSACTION_ID", "SEQUENCE_NUMBER"):
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// matchMasked drops MASKED WITH (FUNCTION = '...') from column definitions
// and removes ALTER TABLE ... ALTER COLUMN c ADD|DROP MASKED statements.
func matchMasked(b *batch, r *ruleDef) {
	for _, i := range b.at("MASKED") {
		if !b.word(i, "MASKED") {
			continue
		}
		end := i + 1
		if b.word(end, "WITH") && b.punct(end+1, "(") {
			end = b.after(end + 1)
		} else if !b.word(i-1, "DROP") {
			continue
		}
		if b.wordIn(i-1, "ADD", "DROP") {
			alter := b.stmtBack(i, "ALTER")
			for alter >= 0 && !b.word(alter+1, "TABLE") {
				alter = b.stmtBack(alter, "ALTER")
			}
			if alter < 0 {
				b.report(i, r, Refuse, 0, "cannot remove this masking statement; rewrite by hand")
				continue
			}
			b.dropStatement(alter, end, true)
		} else {
			b.remove(i, end, false)
		}
		b.report(i, r, Omit, 0, "")
	}
}

// matchAlwaysEncrypted refuses ENCRYPTED WITH (...) and the column keys.
func matchAlwaysEncrypted(b *batch, r *ruleDef) {
	for _, i := range b.at("ENCRYPTED", "CREATE", "ALTER", "DROP") {
		if (b.word(i, "ENCRYPTED") && b.word(i+1, "WITH") && b.punct(i+2, "(")) ||
			(b.wordIn(i, "CREATE", "ALTER", "DROP") && b.word(i+1, "COLUMN") && b.wordIn(i+2, "MASTER", "ENCRYPTION") && b.word(i+3, "KEY")) {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// matchGraph refuses CREATE TABLE ... AS NODE | AS EDGE.
func matchGraph(b *batch, r *ruleDef) {
	for _, i := range b.at("AS") {
		if !b.word(i, "AS") || !b.wordIn(i+1, "NODE", "EDGE") || b.parent[i] != -1 {
			continue
		}
		if c := b.stmtBack(i, "CREATE"); c >= 0 && b.word(c+1, "TABLE") {
			b.report(i+1, r, Refuse, 0, "")
		}
	}
}

// matchSecurityPolicy refuses CREATE/ALTER/DROP SECURITY POLICY and omits
// DROP SECURITY POLICY IF EXISTS, which has nothing to drop on the target.
func matchSecurityPolicy(b *batch, r *ruleDef) {
	for _, i := range b.at("CREATE", "ALTER", "DROP") {
		if !(b.wordIn(i, "CREATE", "ALTER", "DROP") && b.word(i+1, "SECURITY") && b.word(i+2, "POLICY")) {
			continue
		}
		if b.word(i, "DROP") && b.word(i+3, "IF") && b.word(i+4, "EXISTS") {
			b.dropStatement(i, b.stmtEnd(i+5), true)
			b.report(i, r, Omit, 0, "statement omitted: the target has no security policies, so there is nothing to drop")
			continue
		}
		b.report(i, r, Refuse, 0, "")
	}
}

// matchScopedConfiguration removes ALTER DATABASE SCOPED CONFIGURATION statements.
func matchScopedConfiguration(b *batch, r *ruleDef) {
	for _, i := range b.at("ALTER") {
		if !(b.word(i, "ALTER") && b.word(i+1, "DATABASE") && b.word(i+2, "SCOPED") && b.word(i+3, "CONFIGURATION")) {
			continue
		}
		k := i + 4
		for k < len(b.toks) && !b.wordIn(k, "SET", "CLEAR") && !b.punct(k, ";") {
			k++
		}
		end := b.stmtEnd(min(k+1, len(b.toks)))
		b.dropStatement(i, end, true)
		b.report(i, r, Omit, 0, scopedConfigurationLoss(b, k, end))
	}
}

// matchCompatibilityLevel clamps COMPATIBILITY_LEVEL = n to the target's maximum.
func matchCompatibilityLevel(b *batch, r *ruleDef) {
	max := b.target.MaxCompatibilityLevel()
	for _, i := range b.at("COMPATIBILITY_LEVEL") {
		if !(b.word(i, "COMPATIBILITY_LEVEL") && b.punct(i+1, "=") && i+2 < len(b.toks) && b.toks[i+2].Kind == tsql.Number) {
			continue
		}
		if l, _ := b.listItem(i, databaseList); l == nil {
			continue // not ALTER DATABASE ... SET (a query on sys.databases, say)
		}
		n, err := strconv.Atoi(b.text(i + 2))
		if err != nil || n <= max {
			continue
		}
		b.replace(i+2, i+3, strconv.Itoa(max))
		intro := version.Version(n)
		if !intro.Known() {
			intro = 0
		}
		b.report(i, r, Rewrite, intro, "COMPATIBILITY_LEVEL "+strconv.Itoa(n)+" clamped to "+strconv.Itoa(max)+", the highest the target accepts")
	}
}

// matchNewType refuses the json and vector types where a type is expected:
// after a variable or parameter, in a column definition, in CAST(... AS t).
func matchNewType(b *batch, r *ruleDef) {
	typ := strings.TrimPrefix(r.ID, "type-")
	for i := range b.toks {
		t := b.toks[i]
		if (t.Kind != tsql.Word && t.Kind != tsql.Bracketed) || !strings.EqualFold(tsql.Unquote(t.Text(b.src)), typ) ||
			b.punct(i-1, ".") || b.punct(i+1, ".") {
			continue
		}
		if b.isTypePosition(i) {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

func (b *batch) isTypePosition(i int) bool {
	prev := i - 1
	if b.word(prev, "AS") {
		if prev-1 >= 0 && b.toks[prev-1].Kind == tsql.Variable {
			return true
		}
		p := b.parent[i]
		return p > 0 && b.wordIn(p-1, "CAST", "TRY_CAST")
	}
	if prev >= 0 && b.toks[prev].Kind == tsql.Variable {
		return true
	}
	// column definition: ( or , then the column name, then the type
	if !b.isNamePart(prev) || !(b.punct(prev-1, "(") || b.punct(prev-1, ",") || b.word(prev-1, "ADD")) {
		return false
	}
	if b.word(prev-1, "ADD") {
		return true
	}
	p := b.parent[i]
	if p < 1 {
		return false
	}
	// CREATE TABLE name ( ... ), DECLARE @t TABLE ( ... ), RETURNS @t TABLE ( ... )
	if b.word(p-1, "TABLE") {
		return true
	}
	k := p - 1
	for k >= 0 && ((b.isNamePart(k) && !b.toks[k].Keyword) || b.punct(k, ".")) {
		k--
	}
	return k < p-1 && b.word(k, "TABLE")
}

// matchSequence refuses CREATE SEQUENCE and NEXT VALUE FOR.
func matchSequence(b *batch, r *ruleDef) {
	for _, i := range b.at("CREATE", "ALTER", "DROP", "NEXT") {
		next := b.word(i, "NEXT") && b.word(i+1, "VALUE") && b.word(i+2, "FOR")
		if next && b.omitSequenceDefault(i, r) {
			continue
		}
		if (b.word(i, "CREATE") && b.word(i+1, "SEQUENCE")) || next ||
			(b.wordIn(i, "ALTER", "DROP") && b.word(i+1, "SEQUENCE") && !b.word(i+2, "IF")) {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// omitSequenceDefault removes a column default that is NEXT VALUE FOR at
// toks[i], as other features the target lacks are left out of a table
// (masks, system versioning): the table and its data load, and only rows
// inserted later without the column lose their number. It handles the
// default in a column definition of CREATE TABLE ([CONSTRAINT name]
// DEFAULT (NEXT VALUE FOR s)) and the statement SSMS writes for it
// (ALTER TABLE t ADD [CONSTRAINT name] DEFAULT (NEXT VALUE FOR s) FOR c),
// and reports false for any other use of NEXT VALUE FOR. The default may
// compute with the number inside its parentheses (DEFAULT ('T-' +
// CONVERT(varchar(20), NEXT VALUE FOR s))): the whole default goes.
func (b *batch) omitSequenceDefault(i int, r *ruleDef) bool {
	_, seq := b.name(i + 3)
	if seq == nil {
		return false
	}
	d := b.enclosingDefault(i)
	if d < 0 {
		return false
	}
	end, _ := b.name(i + 3)
	if d+1 < i {
		end = b.after(d + 1)
	}
	from := d
	if b.isNamePart(d-1) && b.word(d-2, "CONSTRAINT") {
		from = d - 2
	}
	loss := "; rows inserted later without the column get NULL, or fail if it is NOT NULL (the script's own rows keep their values); number them by hand or with IDENTITY"
	if alter := b.stmtBack(from, "ALTER"); alter >= 0 && b.word(alter+1, "TABLE") && b.word(from-1, "ADD") && b.word(end, "FOR") && b.isNamePart(end+1) {
		b.dropStatement(alter, b.stmtEnd(end+1), true)
		b.report(i, r, Omit, 0, "statement omitted: column "+b.plainName(end+1)+" of "+b.plainName(alter+2)+
			" loses its default NEXT VALUE FOR "+b.plainName(i+3)+loss)
		return true
	}
	c := b.stmtBack(b.outermost(i), "CREATE")
	if c < 0 || !b.word(c+1, "TABLE") || b.parentOf(from) < 0 {
		return false
	}
	first, _ := b.itemBounds(from)
	b.removeClause(from, end)
	b.report(i, r, Omit, 0, "default omitted: column "+b.plainName(first)+" of "+b.plainName(c+2)+
		" is created without its default NEXT VALUE FOR "+b.plainName(i+3)+loss)
	return true
}

// enclosingDefault returns the index of the DEFAULT keyword whose
// expression holds toks[i]: DEFAULT right before it, or before one of the
// parentheses enclosing it. It returns -1 when there is none.
func (b *batch) enclosingDefault(i int) int {
	for cur := i; cur >= 0; cur = b.parentOf(cur) {
		if b.word(cur-1, "DEFAULT") {
			return cur - 1
		}
	}
	return -1
}

// plainName returns the (multi-part) name that starts at toks[k] as the
// report writes names: unquoted, joined by dots.
func (b *batch) plainName(k int) string {
	_, parts := b.name(k)
	return strings.Join(parts, ".")
}

// matchThrow refuses the THROW statement.
func matchThrow(b *batch, r *ruleDef) {
	for _, i := range b.at("THROW") {
		if !b.word(i, "THROW") || b.word(i-1, "AS") || b.punct(i-1, ".") || b.punct(i-1, ",") {
			continue
		}
		if i+1 == len(b.toks) || b.punct(i+1, ";") || b.word(i+1, "END") ||
			b.toks[i+1].Kind == tsql.Number || b.toks[i+1].Kind == tsql.Variable {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

func matchForJSON(b *batch, r *ruleDef) {
	for _, i := range b.at("FOR") {
		if b.word(i, "FOR") && b.word(i+1, "JSON") && b.wordIn(i+2, "PATH", "AUTO") {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

func matchAtTimeZone(b *batch, r *ruleDef) {
	for _, i := range b.at("AT") {
		if b.word(i, "AT") && b.word(i+1, "TIME") && b.word(i+2, "ZONE") {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

func matchTemporalQuery(b *batch, r *ruleDef) {
	for _, i := range b.at("FOR") {
		if b.word(i, "FOR") && b.word(i+1, "SYSTEM_TIME") && !b.word(i-1, "PERIOD") {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

func matchIsDistinctFrom(b *batch, r *ruleDef) {
	for _, i := range b.at("IS") {
		j := i + 1
		if b.word(j, "NOT") {
			j++
		}
		if b.word(i, "IS") && b.word(j, "DISTINCT") && b.word(j+1, "FROM") {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

func matchWindowClause(b *batch, r *ruleDef) {
	for _, i := range b.at("WINDOW") {
		if b.word(i, "WINDOW") && b.isNamePart(i+1) && b.word(i+2, "AS") && b.punct(i+3, "(") {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// matchFunction refuses a call of the built-in function name: the word
// unquoted, followed by '(' and not qualified (dbo.TRIM is a user function)
// nor being declared (CREATE FUNCTION TRIM).
func matchFunction(b *batch, r *ruleDef, name string) {
	for _, i := range b.at(name) {
		if b.isBuiltinCall(i, name) {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// isBuiltinCall reports whether toks[i], the word name, calls the built-in
// function: it is followed by '(', not qualified (dbo.TRIM is a user
// function), not being declared (CREATE FUNCTION TRIM), and not the name
// of a table or view that a column list or table hint follows
// (CREATE TABLE Format (...), INSERT INTO Choose (a), FROM Translate
// (NOLOCK)), where only a function returning a table stands after FROM.
func (b *batch) isBuiltinCall(i int, name string) bool {
	if !b.word(i, name) || !b.punct(i+1, "(") || b.punct(i-1, ".") || b.word(i-1, "FUNCTION") {
		return false
	}
	switch {
	case b.wordIn(i-1, "TABLE", "VIEW", "INTO", "INSERT", "UPDATE", "REFERENCES"):
		return false
	case b.wordIn(i-1, "FROM", "JOIN"):
		return tableFunctions[name]
	}
	return true
}

// matchOffsetFetch refuses ORDER BY ... OFFSET n ROWS [FETCH ...] (2012).
func matchOffsetFetch(b *batch, r *ruleDef) {
	for _, i := range b.at("OFFSET") {
		if !b.word(i, "OFFSET") || b.punct(i-1, ".") {
			continue
		}
		end := b.stmtEnd(i + 1)
		for k := i + 1; k < end; k++ {
			if b.parent[k] == b.parent[i] && b.wordIn(k, "ROW", "ROWS") {
				b.report(i, r, Refuse, 0, "")
				break
			}
		}
	}
}

// rankingFunctions took ORDER BY in their OVER clause before 2012.
var rankingFunctions = map[string]bool{"ROW_NUMBER": true, "RANK": true, "DENSE_RANK": true, "NTILE": true}

// matchWindowOrder refuses what 2012 added to the OVER clause of an
// aggregate: ORDER BY (ranking functions had it before) and a ROWS or
// RANGE frame.
func matchWindowOrder(b *batch, r *ruleDef) {
	for _, i := range b.at("OVER") {
		if !b.word(i, "OVER") || !b.punct(i+1, "(") {
			continue
		}
		open := i + 1
		fn := ""
		if b.punct(i-1, ")") {
			for k := i - 2; k >= 0; k-- {
				if b.close[k] == i-1 {
					fn = b.upper(k - 1)
					break
				}
			}
		}
		for k := open + 1; k < b.close[open]; k++ {
			if b.parent[k] != open {
				continue
			}
			if b.wordIn(k, "ROWS", "RANGE") ||
				(b.word(k, "ORDER") && fn != "" && fn != "GROUP" && !rankingFunctions[fn] && !newerFunction(fn, b.target)) {
				b.report(k, r, Refuse, 0, "")
				break
			}
		}
	}
}

// newerFunction reports whether name is a built-in function the target
// does not have at all (its own rule refuses it).
func newerFunction(name string, target version.Version) bool {
	for _, f := range bodyFunctions {
		if f.name == name {
			return f.v > target
		}
	}
	return false
}

// matchFunctionForms2022 refuses the forms 2022 added to older built-in
// functions: a second argument of LTRIM, RTRIM and ISJSON, TRIM(LEADING |
// TRAILING | BOTH ... FROM ...), the third argument of STRING_SPLIT, and
// IGNORE | RESPECT NULLS. Where the function itself is newer than the
// target, its own rule refuses it.
func matchFunctionForms2022(b *batch, r *ruleDef) {
	for _, name := range []string{"LTRIM", "RTRIM", "TRIM", "STRING_SPLIT", "ISJSON"} {
		if newerFunction(name, b.target) {
			continue
		}
		for _, i := range b.at(name) {
			if !b.isBuiltinCall(i, name) {
				continue
			}
			open, args := i+1, 1
			for k := open + 1; k < b.close[open]; k++ {
				if b.parent[k] == open && b.punct(k, ",") {
					args++
				}
			}
			if (name == "TRIM" && b.wordIn(open+1, "LEADING", "TRAILING", "BOTH")) ||
				(name == "STRING_SPLIT" && args >= 3) ||
				(name != "TRIM" && name != "STRING_SPLIT" && args >= 2) {
				b.report(i, r, Refuse, 0, "")
			}
		}
	}
	for _, i := range b.at("NULLS") {
		if b.word(i, "NULLS") && b.wordIn(i-1, "IGNORE", "RESPECT") {
			b.report(i-1, r, Refuse, 0, "")
		}
	}
}

// matchContainment drops CONTAINMENT = NONE|PARTIAL from CREATE DATABASE
// (where it stands before ON) and from ALTER DATABASE ... SET.
func matchContainment(b *batch, r *ruleDef) {
	for _, i := range b.at("CONTAINMENT") {
		if !b.punct(i+1, "=") || !b.wordIn(i+2, "NONE", "PARTIAL") || b.parent[i] != -1 {
			continue
		}
		if _, parts := b.name(i - 1); b.word(i-2, "DATABASE") && b.word(i-3, "CREATE") && parts != nil {
			b.remove(i, i+3, false)
			b.report(i, r, Omit, 0, "")
			continue
		}
		b.dropOption(i, databaseList, r)
	}
}

// matchIncrementalStatistics drops STATISTICS_INCREMENTAL = ... from index
// options and the (INCREMENTAL = ...) of AUTO_CREATE_STATISTICS ON.
func matchIncrementalStatistics(b *batch, r *ruleDef) {
	for _, i := range b.at("STATISTICS_INCREMENTAL") {
		b.dropOption(i, indexList, r)
	}
	for _, i := range b.at("INCREMENTAL") {
		p := b.parent[i]
		if p > 1 && p+1 == i && b.wordIn(p-1, "ON", "OFF") && b.word(p-2, "AUTO_CREATE_STATISTICS") {
			b.remove(p, b.after(p), false)
			b.report(i, r, Omit, 0, "")
		}
	}
}

// scopedOptions are the database scoped configurations with their default
// and what an older release has instead (server-wide).
var scopedOptions = map[string]struct{ dflt, instead string }{
	"MAXDOP":                             {"0", "the server option max degree of parallelism (sp_configure) or MAXDOP query hints"},
	"LEGACY_CARDINALITY_ESTIMATION":      {"OFF", "trace flag 9481, or compatibility level 110"},
	"PARAMETER_SNIFFING":                 {"ON", "trace flag 4136 or OPTIMIZE FOR UNKNOWN query hints"},
	"QUERY_OPTIMIZER_HOTFIXES":           {"OFF", "trace flag 4199"},
	"IDENTITY_CACHE":                     {"ON", "trace flag 272"},
	"OPTIMIZE_FOR_AD_HOC_WORKLOADS":      {"OFF", "the server option optimize for ad hoc workloads (sp_configure)"},
	"XTP_PROCEDURE_EXECUTION_STATISTICS": {"OFF", "sys.sp_xtp_control_proc_exec_stats"},
	"XTP_QUERY_EXECUTION_STATISTICS":     {"OFF", "sys.sp_xtp_control_query_exec_stats"},
}

// scopedConfigurationLoss says what an omitted ALTER DATABASE SCOPED
// CONFIGURATION statement (its SET or CLEAR at toks[k], its end at end) set.
func scopedConfigurationLoss(b *batch, k, end int) string {
	if k >= end {
		return ""
	}
	setting := b.compact(k+1, end)
	if b.word(k, "CLEAR") {
		return "CLEAR " + setting + " omitted; DBCC FREEPROCCACHE clears the plan cache of the whole server"
	}
	if !b.punct(k+2, "=") {
		return setting + " omitted; the target has no equivalent"
	}
	name, value := b.upper(k+1), strings.ToUpper(b.compact(k+3, end))
	o, ok := scopedOptions[name]
	switch {
	case !ok:
		return setting + " omitted; the target has no equivalent"
	case value == o.dflt || value == "PRIMARY":
		return setting + " omitted; it is the default, so nothing is lost"
	}
	return setting + " omitted; on the target set " + o.instead + " by hand (server-wide)"
}

// periodColumn strips GENERATED ALWAYS AS ROW START|END [HIDDEN] at toks[i]
// from a column definition. The column becomes an ordinary NOT NULL column,
// which a row inserted without it (the table's data, scripted without its
// period columns) would leave empty: unless it has a default already, it
// gets the value system versioning would have given it.
func (b *batch) periodColumn(i int, r *ruleDef) {
	end := i + 5
	hidden := b.word(end, "HIDDEN")
	if hidden {
		end++
	}
	first, last := b.itemBounds(i)
	column := ""
	if b.isNamePart(first) {
		column = tsql.Unquote(b.toks[first].Text(b.src))
	}
	def := ""
	if !b.hasWord(first, last, "DEFAULT") {
		def = "DEFAULT SYSUTCDATETIME()"
		if b.word(i+4, "END") {
			def = "DEFAULT '9999-12-31 23:59:59" + fraction(b.datetime2Scale(first, last)) + "'"
		}
	}
	msg := "system versioning omitted: column " + column + " becomes an ordinary column"
	if def != "" {
		b.replace(i, end, def)
		msg += " with " + def
	} else {
		b.remove(i, end, false)
		msg += " (it keeps its own default)"
	}
	if hidden {
		msg += "; it was HIDDEN and is now seen by SELECT * and INSERT without a column list"
	}
	b.report(i, r, Omit, 0, msg)
}

// itemBounds returns the first and the last token of the comma-separated
// item (a column definition) that holds toks[i].
func (b *batch) itemBounds(i int) (first, last int) {
	p := b.parent[i]
	first = i
	for k := i - 1; k > p && k >= 0; k-- {
		if b.parent[k] == p && (b.punct(k, ",") || b.word(k, "ADD")) {
			break
		}
		first = k
	}
	last = i
	for k := i + 1; k < len(b.toks) && (p < 0 || k < b.close[p]); k++ {
		if b.parent[k] == p && (b.punct(k, ",") || b.punct(k, ";")) {
			break
		}
		last = k
	}
	return first, last
}

// hasWord reports whether the word w is in toks[first..last] at the depth
// of toks[first].
func (b *batch) hasWord(first, last int, w string) bool {
	for k := first; k <= last; k++ {
		if b.parent[k] == b.parent[first] && b.word(k, w) {
			return true
		}
	}
	return false
}

// datetime2Scale returns the fractional-second digits of the datetime2 type
// in toks[first..last] (7 when none is written).
func (b *batch) datetime2Scale(first, last int) int {
	for k := first; k <= last; k++ {
		t := b.toks[k]
		if (t.Kind == tsql.Word || t.Kind == tsql.Bracketed) && strings.EqualFold(tsql.Unquote(t.Text(b.src)), "datetime2") &&
			b.punct(k+1, "(") && k+2 < len(b.toks) && b.toks[k+2].Kind == tsql.Number {
			if n, err := strconv.Atoi(b.text(k + 2)); err == nil && n >= 0 && n <= 7 {
				return n
			}
		}
	}
	return 7
}

// fraction is the largest fractional second of datetime2(scale): a
// literal with more digits would round up past the type's range.
func fraction(scale int) string {
	if scale == 0 {
		return ""
	}
	return "." + strings.Repeat("9", scale)
}

// outermost returns the outermost '(' around toks[i], or i itself.
func (b *batch) outermost(i int) int {
	for p := b.parentOf(i); p >= 0; p = b.parentOf(p) {
		i = p
	}
	return i
}

// matchOnlineAlterColumn omits ONLINE = ON from ALTER TABLE ... ALTER
// COLUMN ... WITH (...), which 2016 added; ONLINE of an index stays.
func matchOnlineAlterColumn(b *batch, r *ruleDef) {
	for _, i := range b.at("ONLINE") {
		if !b.word(i, "ONLINE") {
			continue
		}
		if a := b.stmtBack(b.outermost(i), "ALTER"); a >= 0 && b.word(a+1, "COLUMN") {
			b.dropOption(i, indexList, r)
		}
	}
}

// matchTruncatePartitions refuses TRUNCATE TABLE ... WITH (PARTITIONS
// (...)); ON PARTITIONS of a compression option is older.
func matchTruncatePartitions(b *batch, r *ruleDef) {
	for _, i := range b.at("PARTITIONS") {
		if b.word(i, "PARTITIONS") && b.punct(i+1, "(") && !b.word(i-1, "ON") && b.stmtBack(b.outermost(i), "TRUNCATE") >= 0 {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// matchUseHint refuses the query hint USE HINT ('...').
func matchUseHint(b *batch, r *ruleDef) {
	for _, i := range b.at("HINT") {
		if b.word(i, "HINT") && b.word(i-1, "USE") && b.punct(i+1, "(") {
			b.report(i-1, r, Refuse, 0, "")
		}
	}
}

// matchSelectIntoFilegroup refuses SELECT ... INTO t ON filegroup.
func matchSelectIntoFilegroup(b *batch, r *ruleDef) {
	for _, i := range b.at("INTO") {
		if !b.word(i, "INTO") || b.wordIn(i-1, "INSERT", "MERGE") {
			continue
		}
		if next, parts := b.name(i + 1); parts != nil && b.word(next, "ON") && b.isNamePart(next+1) {
			b.report(next, r, Refuse, 0, "")
		}
	}
}

// matchBulkCSV refuses FORMAT = 'CSV' and FIELDQUOTE = ... in the options
// of BULK INSERT and OPENROWSET(BULK ...).
func matchBulkCSV(b *batch, r *ruleDef) {
	for _, i := range b.at("FORMAT", "FIELDQUOTE") {
		if !b.wordIn(i, "FORMAT", "FIELDQUOTE") || !b.punct(i+1, "=") || b.parentOf(i) < 0 {
			continue
		}
		if b.word(i, "FORMAT") && !(i+2 < len(b.toks) && b.toks[i+2].Kind == tsql.String && (strings.EqualFold(b.text(i+2), "'CSV'") || strings.EqualFold(b.text(i+2), "N'CSV'"))) {
			continue
		}
		b.report(i, r, Refuse, 0, "")
	}
}

// matchSensitivityClassification removes ADD and DROP SENSITIVITY
// CLASSIFICATION statements.
func matchSensitivityClassification(b *batch, r *ruleDef) {
	for _, i := range b.at("SENSITIVITY") {
		if b.word(i, "SENSITIVITY") && b.word(i+1, "CLASSIFICATION") && b.wordIn(i-1, "ADD", "DROP") {
			b.dropStatement(i-1, b.stmtEnd(i+2), true)
			b.report(i-1, r, Omit, 0, "")
		}
	}
}

// matchInlineFunction refuses INLINE = ON|OFF among a function's options.
func matchInlineFunction(b *batch, r *ruleDef) {
	for _, i := range b.at("INLINE") {
		if b.word(i, "INLINE") && b.punct(i+1, "=") && b.wordIn(i+2, "ON", "OFF") && b.parentOf(i) < 0 {
			b.report(i, r, Refuse, 0, "")
		}
	}
}
