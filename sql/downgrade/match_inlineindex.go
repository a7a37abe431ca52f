package downgrade

import (
	"strings"

	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Inline indexes (Microsoft Docs, "CREATE TABLE", <table_index> and
// <column_index>): INDEX ix ... inside the column list needs 2014; UNIQUE,
// a filter (WHERE) and the columnstore forms parse from 130 on (2016), and
// INCLUDE from 150 on (2019), as ScriptDom's parsers of each version say.
//
// Before that, the index is moved out of CREATE TABLE into the CREATE INDEX
// statement every target has (CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED]
// INDEX ix ON t (cols) [INCLUDE (...)] [WHERE ...] [WITH (...)] [ON ...]:
// INCLUDE and filters exist there since 2008), right after the table in
// the same batch. The other rules have already rewritten the clause (an
// option the target lacks is left out and reported by its own rule), so it
// is moved through wraps: the clause's wrap keeps its rewritten text and
// leaves only its line breaks, and the wrap of the whole CREATE TABLE,
// resolved after it, appends the statements. Table variables, table types
// and the result tables of functions take no CREATE INDEX: their inline
// indexes stay refused, as do those of a memory-optimized table that the
// target keeps memory-optimized (2014 adds no index to one afterwards).

// inlineIndex is one INDEX clause in the column list of a table.
type inlineIndex struct {
	at          int    // the INDEX token
	first, last int    // the tokens to remove (a table-level clause with its comma)
	column      string // the column of a column-level index, as written
	columnstore bool
	clustered   bool
	hash        bool // HASH without NONCLUSTERED before it
	since       version.Version
}

// matchInlineIndex moves INDEX ix ... out of CREATE TABLE where the target
// lacks the inline form, and refuses it in a table variable, a table type
// or a function's result table.
func matchInlineIndex(b *batch, r *ruleDef) {
	moved := map[int]*[]string{} // CREATE token -> the statements to append
	for _, i := range b.at("INDEX") {
		p := b.parentOf(i)
		if !b.word(i, "INDEX") || p < 0 || b.parentOf(p) >= 0 || !b.isNamePart(i+1) {
			continue
		}
		c := b.stmtBack(p, "CREATE")
		createTable := c >= 0 && b.word(c+1, "TABLE")
		if next, parts := b.name(c + 2); createTable && (parts == nil || next != p) {
			continue // CREATE TABLE without a name before its column list
		}
		if !createTable && !b.word(p-1, "TABLE") { // DECLARE @t TABLE (, RETURNS @t TABLE (, AS TABLE (
			continue
		}
		ix := b.inlineIndexAt(i, p)
		if b.target >= ix.since {
			continue
		}
		memory := createTable && b.memoryOptimized(p)
		switch {
		case !createTable:
			b.report(i, r, Refuse, ix.since, "a table variable, table type or function result table takes no CREATE INDEX: declare the index as a PRIMARY KEY or UNIQUE constraint by hand")
		case ix.columnstore:
			b.inlineColumnstore(c, p, ix, memory, moved, r)
		case memory && b.target >= version.SQL2014:
			b.report(i, r, Refuse, ix.since, "the table stays memory-optimized on the target, which adds no index to one after CREATE TABLE (ALTER TABLE ... ADD INDEX needs 2016): leave the index out by hand")
		default:
			b.moveInlineIndex(c, p, ix, moved, r)
		}
	}
	for c, stmts := range moved {
		b.appendStatements(c, *stmts)
	}
}

// memoryOptimized reports whether the table whose column list opens at
// toks[p] has MEMORY_OPTIMIZED in its options.
func (b *batch) memoryOptimized(p int) bool {
	for k := b.close[p]; k < b.stmtEnd(p); k++ {
		if b.word(k, "MEMORY_OPTIMIZED") {
			return true
		}
	}
	return false
}

// inlineIndexAt reads the INDEX clause at toks[i] in the list opened at p.
func (b *batch) inlineIndexAt(i, p int) inlineIndex {
	first, last := b.itemBounds(i)
	ix := inlineIndex{at: i, first: i, last: last, since: version.SQL2014}
	switch {
	case b.punct(i-1, ","):
		ix.first = i - 1
	case b.punct(i-1, "(") && b.punct(last+1, ","):
		ix.last = last + 1
	case !b.punct(i-1, "("):
		ix.column = b.raw(first, first+1) // [c] int NOT NULL INDEX ix ...
	}
	for k := i + 2; k <= last; k++ {
		if b.parent[k] != p {
			continue
		}
		switch {
		case b.word(k, "COLUMNSTORE"):
			ix.columnstore = true
			ix.since = max(ix.since, version.SQL2016)
		case b.word(k, "CLUSTERED"):
			ix.clustered = true
		case b.word(k, "HASH"):
			ix.hash = !b.word(k-1, "NONCLUSTERED")
		case b.wordIn(k, "UNIQUE", "WHERE"):
			ix.since = max(ix.since, version.SQL2016)
		case b.word(k, "INCLUDE"):
			ix.since = version.SQL2019
		}
	}
	return ix
}

// moveInlineIndex removes the clause from the table and queues its CREATE
// INDEX statement.
func (b *batch) moveInlineIndex(c, p int, ix inlineIndex, moved map[int]*[]string, r *ruleDef) {
	table := b.raw(c+2, p)
	stmts := moved[c]
	if stmts == nil {
		stmts = new([]string)
		moved[c] = stmts
	}
	slot := len(*stmts)
	*stmts = append(*stmts, "")
	start := b.toks[ix.first].Start
	if ix.column != "" { // [c] int NOT NULL INDEX ix: the blank before INDEX goes too
		if prev := b.toks[ix.first-1].End; strings.Trim(string(b.src[prev:start]), " \t") == "" {
			start = prev
		}
	}
	b.wraps = append(b.wraps, wrap{start, b.toks[ix.last].End, func(inner string) string {
		(*stmts)[slot] = createIndexText(inner, table, ix.column)
		return lineBreaks(inner)
	}})
	msg := "index moved out of the table: CREATE " + b.inlineIndexKind(ix.at) + "INDEX " + b.text(ix.at+1) + " ON " + b.plainName(c+2) + " follows the table"
	if ix.hash {
		msg += "; HASH omitted: the hash index becomes a nonclustered (B-tree) index on the same columns"
	}
	b.report(ix.at, r, Rewrite, ix.since, msg)
}

// inlineIndexKind returns the words that CREATE ... INDEX takes from the
// inline INDEX clause at toks[i] ("UNIQUE CLUSTERED ", "NONCLUSTERED "
// for HASH), each followed by a blank.
func (b *batch) inlineIndexKind(i int) string {
	var kind string
	for k := i + 2; b.wordIn(k, "UNIQUE", "CLUSTERED", "NONCLUSTERED", "HASH", "COLUMNSTORE"); k++ {
		switch {
		case !b.word(k, "HASH"):
			kind += b.upper(k) + " "
		case !b.word(k-1, "NONCLUSTERED"):
			kind += "NONCLUSTERED "
		}
	}
	return kind
}

// inlineColumnstore applies the columnstore-index rule's verdicts to an
// inline columnstore index: left out where CREATE COLUMNSTORE INDEX would
// be, moved into one where it would be kept.
func (b *batch) inlineColumnstore(c, p int, ix inlineIndex, memory bool, moved map[int]*[]string, r *ruleDef) {
	act, since, msg := columnstoreVerdict(b.target, ix.clustered)
	switch {
	case act == Omit:
		b.remove(ix.first, ix.last+1, false)
		b.report(ix.at, r, Omit, since, msg)
	case memory:
		b.report(ix.at, r, Refuse, ix.since, "a columnstore index on a memory-optimized table needs 2016, and the table stays memory-optimized on the target: leave the index out by hand")
	default:
		b.moveInlineIndex(c, p, ix, moved, r)
		b.report(ix.at, r, act, since, msg)
	}
}

// columnstoreVerdict says what becomes of a columnstore index on target:
// omitted (action Omit), or kept with a warning, and since which release
// the target would need for it.
func columnstoreVerdict(target version.Version, clustered bool) (Action, version.Version, string) {
	switch {
	case target < version.SQL2012:
		return Omit, version.SQL2012, "index omitted: the target has no columnstore indexes; queries run on the rowstore"
	case clustered && target < version.SQL2014:
		return Omit, version.SQL2014, "index omitted: clustered columnstore indexes need 2014; the table stays a rowstore (a heap unless it has another clustered index)"
	case !clustered && target < version.SQL2016:
		return Omit, version.SQL2016, "index omitted: on 2012 and 2014 a nonclustered columnstore index makes its table read-only, so the data load and every later write would fail"
	case clustered && target < version.SQL2016:
		return Warn, version.SQL2016, "kept; on 2014 a clustered columnstore table can have no other index and no varchar(max), nvarchar(max) or varbinary(max) column"
	case clustered && target < version.SQL2017:
		return Warn, version.SQL2017, "kept; before 2017 a clustered columnstore table can have no varchar(max), nvarchar(max) or varbinary(max) column"
	}
	return 0, 0, ""
}

// createIndexText turns an inline INDEX clause, as the other rules left
// it, into CREATE ... INDEX on table. column is the column of a
// column-level index ("" for a table-level one, which lists its columns).
func createIndexText(clause, table, column string) string {
	clause = strings.TrimSpace(strings.Trim(strings.TrimSpace(clause), ","))
	var code []tsql.Token
	for _, t := range tsql.Lex([]byte(clause)) {
		if !t.Kind.Trivia() {
			code = append(code, t)
		}
	}
	if len(code) < 2 {
		return ""
	}
	name := string(code[1].Text([]byte(clause)))
	var mods []string
	k := 2
	for ; k < len(code) && code[k].Kind == tsql.Word; k++ {
		w := strings.ToUpper(string(code[k].Text([]byte(clause))))
		switch w {
		case "UNIQUE", "CLUSTERED", "NONCLUSTERED", "COLUMNSTORE":
			mods = append(mods, w)
		case "HASH":
			if len(mods) == 0 || mods[len(mods)-1] != "NONCLUSTERED" {
				mods = append(mods, "NONCLUSTERED")
			}
			continue
		default:
			goto done
		}
	}
done:
	rest := ""
	if k < len(code) {
		rest = " " + clause[code[k].Start:]
	}
	if column != "" {
		rest = " (" + column + ")" + rest
	}
	kind := strings.Join(mods, " ")
	if kind != "" {
		kind += " "
	}
	return "CREATE " + kind + "INDEX " + name + " ON " + table + rest
}

// appendStatements adds stmts after the CREATE TABLE at toks[c], in the
// same batch; a CREATE TABLE that is the body of an IF, ELSE or WHILE
// becomes a BEGIN ... END block holding them all.
func (b *batch) appendStatements(c int, stmts []string) {
	end := b.stmtEnd(c + 2)
	last := end - 1
	if b.punct(end, ";") {
		last = end
	}
	block := !b.atStmtStart(c)
	eol := b.eol
	b.wraps = append(b.wraps, wrap{b.toks[c].Start, b.toks[last].End, func(inner string) string {
		if strings.TrimSpace(inner) == "" {
			return inner // removed by another rule
		}
		var sb strings.Builder
		if block {
			sb.WriteString("BEGIN ")
		}
		sb.WriteString(inner)
		if !strings.HasSuffix(strings.TrimSpace(inner), ";") {
			sb.WriteByte(';')
		}
		for _, s := range stmts {
			if s != "" {
				sb.WriteString(eol + s + ";")
			}
		}
		if block {
			sb.WriteString(eol + "END")
		}
		return sb.String()
	}})
}

// lineBreaks returns the line breaks of s, which a removal keeps so that
// later lines keep their numbers.
func lineBreaks(s string) string {
	var sb strings.Builder
	for _, c := range []byte(s) {
		if c == '\n' || c == '\r' {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
