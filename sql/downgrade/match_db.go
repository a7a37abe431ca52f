package downgrade

import (
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// dropStatement removes the statement toks[i:j] (and a ';' right after it
// when withSemi is set). Where a statement must stay, as the body of an IF,
// ELSE or WHILE, or alone between BEGIN and END, it leaves a statement that
// does nothing instead. Line breaks stay, as with remove.
func (b *batch) dropStatement(i, j int, withSemi bool) {
	end := j
	if withSemi && b.punct(end, ";") {
		end++
	}
	if b.atStmtStart(i) && !(b.word(i-1, "BEGIN") && b.word(end, "END")) {
		b.remove(i, j, withSemi)
		return
	}
	var keep strings.Builder
	for _, c := range b.src[b.toks[i].Start:b.toks[end-1].End] {
		if c == '\n' || c == '\r' {
			keep.WriteByte(c)
		}
	}
	b.edits = append(b.edits, edit{b.toks[i].Start, b.toks[end-1].End, "WAITFOR DELAY '00:00:00';" + keep.String()})
}

// matchAlterDatabaseCurrent runs ALTER DATABASE CURRENT (2012) as dynamic
// SQL on the name of the current database, after the other rules have
// rewritten the statement.
func matchAlterDatabaseCurrent(b *batch, r *ruleDef) {
	for _, i := range b.at("ALTER") {
		if !(b.word(i, "ALTER") && b.word(i+1, "DATABASE") && b.word(i+2, "CURRENT")) {
			continue
		}
		end := b.stmtEnd(i + 3)
		if end <= i+3 {
			continue
		}
		last := end - 1
		if b.punct(end, ";") {
			last = end
		}
		b.seq++
		v := fmt.Sprintf("@xdm_db%d", b.seq)
		prefix := string(b.src[b.toks[i].Start:b.toks[i+2].End])
		open, close := "", ""
		if !b.atStmtStart(i) {
			open, close = "BEGIN ", " END"
		}
		b.wraps = append(b.wraps, wrap{b.toks[i].Start, b.toks[last].End, func(inner string) string {
			rest, ok := strings.CutPrefix(inner, prefix)
			if !ok || strings.TrimSpace(inner) == "" {
				return inner // removed by another rule
			}
			semi := ""
			if s, ok := strings.CutSuffix(rest, ";"); ok {
				rest, semi = s, ";"
			}
			return open + "DECLARE " + v + " nvarchar(258) = QUOTENAME(DB_NAME()); EXEC (N'ALTER DATABASE ' + " + v +
				" + N'" + strings.ReplaceAll(rest, "'", "''") + "')" + semi + close
		}})
		b.report(i+2, r, Rewrite, 0, "")
	}
}

// matchFilegroupAutogrow removes ALTER DATABASE ... MODIFY FILEGROUP fg
// AUTOGROW_ALL_FILES | AUTOGROW_SINGLE_FILE (2016).
func matchFilegroupAutogrow(b *batch, r *ruleDef) {
	for _, i := range b.at("AUTOGROW_ALL_FILES", "AUTOGROW_SINGLE_FILE") {
		k := i - 1
		for k > 0 && (b.isNamePart(k) || b.punct(k, ".")) && !b.word(k, "FILEGROUP") {
			k--
		}
		if !b.word(k, "FILEGROUP") || !b.word(k-1, "MODIFY") {
			continue
		}
		alter := b.stmtBack(k-1, "ALTER")
		if alter < 0 || !b.word(alter+1, "DATABASE") {
			continue
		}
		b.dropStatement(alter, i+1, true)
		msg := "statement omitted: before 2016 the files of a filegroup grow one at a time, as AUTOGROW_SINGLE_FILE does (unless trace flag 1117 is on)"
		if b.word(i, "AUTOGROW_ALL_FILES") {
			msg = "statement omitted: before 2016 all files of a filegroup grow together only with trace flag 1117, which is server-wide"
		}
		b.report(i, r, Omit, 0, msg)
	}
}

// matchResumableOperation omits ALTER INDEX name|ALL ON table RESUME [WITH
// (...)] | PAUSE | ABORT (2017), which acts on a resumable index operation.
func matchResumableOperation(b *batch, r *ruleDef) {
	for _, i := range b.at("RESUME", "PAUSE", "ABORT") {
		alter := b.stmtBack(i, "ALTER")
		if alter < 0 || !b.word(alter+1, "INDEX") || !b.word(i-1-b.nameLen(i-1), "ON") {
			continue
		}
		end := i + 1
		if b.word(end, "WITH") && b.punct(end+1, "(") {
			end = b.after(end + 1)
		}
		b.dropStatement(alter, end, true)
		b.report(i, r, Omit, 0, "")
	}
}

// nameLen returns how many tokens the (multi-part) name that ends at
// toks[i] has: name, schema.name, db.schema.name.
func (b *batch) nameLen(i int) int {
	n := 0
	for b.isNamePart(i - n) {
		n++
		if !b.punct(i-n, ".") {
			break
		}
		n++
	}
	return n
}

// matchRoleMember rewrites ALTER [SERVER] ROLE r ADD|DROP MEMBER m (2012) to
// the system procedures older releases have.
func matchRoleMember(b *batch, r *ruleDef) {
	for _, i := range b.at("ALTER") {
		k := i + 1
		server := b.word(k, "SERVER")
		if server {
			k++
		}
		if !b.word(i, "ALTER") || !b.word(k, "ROLE") {
			continue
		}
		next, role := b.name(k + 1)
		if role == nil || !b.wordIn(next, "ADD", "DROP") || !b.word(next+1, "MEMBER") {
			continue
		}
		end, member := b.name(next + 2)
		if member == nil {
			continue
		}
		ro, me := sqlString(last(role)), sqlString(last(member))
		var stmt string
		add := b.word(next, "ADD")
		switch {
		case !server && add:
			stmt = "EXEC sp_addrolemember " + ro + ", " + me
		case !server:
			stmt = "EXEC sp_droprolemember " + ro + ", " + me
		case add:
			stmt = "EXEC sp_addsrvrolemember " + me + ", " + ro
		default:
			stmt = "EXEC sp_dropsrvrolemember " + me + ", " + ro
		}
		b.replace(i, end, b.guarded(i, []string{stmt}))
		msg := "rewritten to " + strings.Fields(stmt)[1]
		if server {
			msg += " (before 2012 only the fixed server roles exist)"
		}
		b.report(i, r, Rewrite, 0, msg)
	}
}

// matchFormatMessage refuses FORMATMESSAGE with a message text (2016):
// before that it takes only the number of a message in sys.messages.
func matchFormatMessage(b *batch, r *ruleDef) {
	for _, i := range b.at("FORMATMESSAGE") {
		if b.word(i, "FORMATMESSAGE") && b.punct(i+1, "(") && !b.punct(i-1, ".") &&
			i+2 < len(b.toks) && b.toks[i+2].Kind == tsql.String {
			b.report(i, r, Refuse, 0, "")
		}
	}
}

// matchWaitAtLowPriority drops WAIT_AT_LOW_PRIORITY (...), from
// ONLINE = ON (WAIT_AT_LOW_PRIORITY (...)) and from WITH (...) lists, where
// the statement does not take it: ALTER INDEX ... REBUILD, ALTER TABLE ...
// SWITCH and DROP INDEX have it from 2014, CREATE INDEX from 2022.
func matchWaitAtLowPriority(b *batch, r *ruleDef) {
	for _, i := range b.at("WAIT_AT_LOW_PRIORITY") {
		p := b.parentOf(i)
		if !b.word(i, "WAIT_AT_LOW_PRIORITY") || p < 0 {
			continue
		}
		since := version.SQL2014
		if b.indexStatement(i) == "CREATE INDEX" {
			since = version.SQL2022
		}
		if b.target >= since {
			continue
		}
		if p+1 == i && b.word(p-1, "ON") && b.punct(p-2, "=") && b.word(p-3, "ONLINE") {
			b.remove(p, b.after(p), false)
			b.report(i, r, Omit, since, "")
			continue
		}
		b.dropOptionSince(i, indexList, r, since)
	}
}

// matchColumnstore decides per target what becomes of a columnstore index:
// before 2012 there are none, before 2014 no clustered one; on 2012 and
// 2014 a nonclustered one makes its table read-only (so loading its data
// and every later write fail), and a clustered one on 2014 allows no other
// index, and until 2017 no (max) column. Indexes the target cannot use are
// omitted; the others are kept with a warning.
func matchColumnstore(b *batch, r *ruleDef) {
	for _, i := range b.at("COLUMNSTORE") {
		if !b.word(i, "COLUMNSTORE") || !b.word(i+1, "INDEX") {
			continue
		}
		c := i - 1
		clustered := b.word(c, "CLUSTERED")
		if b.wordIn(c, "CLUSTERED", "NONCLUSTERED") {
			c--
		}
		if !b.word(c, "CREATE") {
			continue
		}
		end := b.stmtEnd(i + 2)
		switch act, since, msg := columnstoreVerdict(b.target, clustered); act {
		case Omit:
			b.dropStatement(c, end, true)
			b.report(i, r, Omit, since, msg)
		case Warn:
			b.report(i, r, Warn, since, msg)
		}
	}
}
