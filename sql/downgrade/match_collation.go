package downgrade

import (
	"strconv"
	"strings"

	"github.com/xdm-migrate/xdm/sql/collation"
	"github.com/xdm-migrate/xdm/sql/tsql"
)

// matchCollation rewrites COLLATE <name> where the target lacks the
// collation, by Options.CollationMap or else the mapping of package
// sql/collation (the one xdm sql script uses too). The rule utf8-collation
// takes the UTF-8 collations, newer-collation the others. Where char or
// varchar data loses its UTF-8 storage the report says so for the column or
// the database.
func matchCollation(b *batch, r *ruleDef) {
	for _, i := range b.at("COLLATE") {
		if !b.word(i, "COLLATE") || i+1 >= len(b.toks) || b.toks[i+1].Kind != tsql.Word {
			continue
		}
		name := b.text(i + 1)
		utf8 := strings.HasSuffix(strings.ToUpper(name), "_UTF8")
		if utf8 != (r.ID == "utf8-collation") {
			continue
		}
		m := collation.For(name, b.target)
		msg := "collation " + name + " replaced by " + m.To + ": the target lacks " + strings.Join(m.Lost, ", ")
		if to, ok := b.opts.mapCollation(name); ok && utf8 {
			m.To, m.CodePage = to, collation.CodePage(to)
			msg = "collation " + name + " replaced by " + to + ", as the collation map says"
		} else if !m.Changed() {
			continue
		}
		b.replace(i+1, i+2, m.To)
		b.report(i+1, r, Rewrite, 0, msg)
		if utf8 {
			b.reportCharData(i, r, m)
		}
	}
}

// reportCharData reports what char and varchar data loses when the UTF-8
// collation at toks[i+1] becomes m.To.
func (b *batch) reportCharData(i int, r *ruleDef, m collation.Mapping) {
	cp := "code page " + strconv.Itoa(m.CodePage)
	if m.CodePage < 0 {
		cp = "the code page of " + m.To + " (xdm does not know it)"
	}
	if first := b.stmtBack(i, "CREATE", "ALTER"); b.parent[i] == -1 && first >= 0 && b.word(first+1, "DATABASE") {
		b.report(i+1, r, Warn, 0, "char and varchar columns that take the database collation keep only the characters of "+cp)
		return
	}
	typ, column := b.typeBefore(i)
	switch typ {
	case "char", "varchar", "text":
	default:
		return // nchar and nvarchar keep every character
	}
	what := typ + " column"
	if column != "" {
		what += " " + column
	}
	if m.CodePage == 0 {
		b.report(i+1, r, Refuse, 0, what+": "+m.To+" is a Unicode-only collation, which char and varchar cannot use; make the column nvarchar by hand")
		return
	}
	b.report(i+1, r, Warn, 0, what+" keeps only the characters of "+cp+"; the others are lost (nvarchar would keep them)")
}

// typeBefore reads the data type (lower case, without its length) and the
// column name of a column definition that ends at toks[i-1].
func (b *batch) typeBefore(i int) (typ, column string) {
	k := i - 1
	if b.punct(k, ")") {
		for j := k - 1; j >= 0; j-- {
			if b.close[j] == k {
				k = j - 1
				break
			}
		}
	}
	if k < 0 || (b.toks[k].Kind != tsql.Word && b.toks[k].Kind != tsql.Bracketed) {
		return "", ""
	}
	typ = strings.ToLower(tsql.Unquote(b.toks[k].Text(b.src)))
	if b.isNamePart(k-1) && (b.punct(k-2, "(") || b.punct(k-2, ",") || b.wordIn(k-2, "ADD", "COLUMN")) {
		column = tsql.Unquote(b.toks[k-1].Text(b.src))
	}
	return typ, column
}
