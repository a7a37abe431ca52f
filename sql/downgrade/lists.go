package downgrade

import (
	"strings"

	"github.com/xdm-migrate/xdm/sql/version"
)

// listKind says where an option lives.
type listKind int

const (
	// indexList: WITH ( a = 1, b = 2 ) after an index, constraint or table,
	// or SET ( ... ) of ALTER TABLE.
	indexList listKind = iota
	// databaseList: CREATE DATABASE ... WITH a = 1, b = 2 and
	// ALTER DATABASE ... SET a = 1, b = 2 (and CREATE|UPDATE STATISTICS ...
	// WITH a, b = 1, which has the same form).
	databaseList
)

// optList is one option list whose items rules may drop. Items are dropped
// together when the batch is finished, so that dropping every item removes
// the list (or the statement) as a whole.
type optList struct {
	kind      listKind
	intro     int      // the WITH or SET keyword
	open      int      // '(' of an indexList, -1 for a databaseList
	items     [][2]int // token ranges [first, end)
	drop      []bool
	stmtFirst int // ALTER of a statement that goes when the list is empty, or -1
	end       int // token index after the list (after ')' for an indexList)
}

// optionRule is a rule that omits the option whose name is the first word of
// feature from option lists.
func optionRule(id, feature string, v version.Version, kind listKind, msg string) *ruleDef {
	word, _, _ := strings.Cut(feature, " ")
	return &ruleDef{Rule{id, feature, v, Omit, msg}, []string{word}, func(b *batch, r *ruleDef) {
		for _, i := range b.at(word) {
			b.dropOption(i, kind, r)
		}
	}}
}

// dropOption drops the option at toks[i] from its list, if it starts an item of one.
func (b *batch) dropOption(i int, kind listKind, r *ruleDef) {
	b.dropOptionSince(i, kind, r, 0)
}

// dropOptionSince is dropOption for a rule whose option came with release
// since in the statement at hand (0: the rule's release).
func (b *batch) dropOptionSince(i int, kind listKind, r *ruleDef, since version.Version) {
	if l, k := b.listItem(i, kind); l != nil {
		l.drop[k] = true
		b.report(i, r, Omit, since, b.itemText(l, k)+": "+r.Message)
	}
}

// resumableRule omits the option (RESUMABLE or MAX_DURATION) of a resumable
// index operation where the statement does not take it on the target:
// ALTER INDEX ... REBUILD from 2017, CREATE INDEX from 2019, ALTER TABLE
// ... ADD CONSTRAINT (a primary key or unique constraint) from 2022.
func resumableRule(feature string) *ruleDef {
	return &ruleDef{Rule{"resumable", feature, version.SQL2022, Omit,
		"index option omitted (with MAX_DURATION) where the statement does not take it (ALTER INDEX ... REBUILD before 2017, CREATE INDEX before 2019, ALTER TABLE ... ADD CONSTRAINT before 2022); the operation runs non-resumable"},
		[]string{feature}, func(b *batch, r *ruleDef) {
			for _, i := range b.at(feature) {
				since := version.SQL2017
				switch b.indexStatement(i) {
				case "CREATE INDEX":
					since = version.SQL2019
				case "ALTER TABLE":
					since = version.SQL2022
				}
				if b.target < since {
					b.dropOptionSince(i, indexList, r, since)
				}
			}
		}}
}

// indexStatement names the statement that holds toks[i], as far as the
// releases of index options differ by it: "CREATE INDEX" (UNIQUE,
// CLUSTERED, NONCLUSTERED, COLUMNSTORE ... too), "ALTER INDEX",
// "ALTER TABLE", or "" for any other.
func (b *batch) indexStatement(i int) string {
	for p := b.parentOf(i); p >= 0; p = b.parentOf(p) {
		i = p
	}
	first := b.stmtBack(i, "CREATE", "ALTER")
	if first < 0 {
		return ""
	}
	if b.word(first, "ALTER") {
		if b.wordIn(first+1, "INDEX", "TABLE") {
			return "ALTER " + b.upper(first+1)
		}
		return ""
	}
	k := first + 1
	for b.wordIn(k, "UNIQUE", "CLUSTERED", "NONCLUSTERED", "COLUMNSTORE") {
		k++
	}
	if b.word(k, "INDEX") {
		return "CREATE INDEX"
	}
	return ""
}

// itemText is the text of item k of l on one line, cut to a length a
// report line can hold.
func (b *batch) itemText(l *optList, k int) string {
	it := l.items[k]
	return shorten(b.compact(it[0], it[1]), 80)
}

// listItem finds the option list in which toks[i] begins an item.
func (b *batch) listItem(i int, kind listKind) (*optList, int) {
	if !(b.punct(i+1, "=") || b.punct(i+1, "(") || (kind == databaseList && b.isNamePart(i+1))) {
		return nil, 0
	}
	var l *optList
	switch kind {
	case indexList:
		p := b.parent[i]
		// SYSTEM_VERSIONING = ON ( HISTORY_TABLE = ..., ... ) is a list of
		// its own, which goes as a whole (the parentheses) when emptied.
		nested := p >= 0 && b.word(p-1, "ON") && b.punct(p-2, "=") && b.word(p-3, "SYSTEM_VERSIONING")
		if p < 0 || !(b.word(p-1, "WITH") || b.word(p-1, "SET") || nested) {
			return nil, 0
		}
		intro := p - 1
		if nested {
			intro = p
		}
		l = b.lists[intro]
		if l == nil {
			l = &optList{kind: kind, intro: intro, open: p, stmtFirst: -1, end: b.after(p)}
			if b.word(p-1, "SET") {
				l.stmtFirst = b.stmtBack(p-1, "ALTER")
				if l.stmtFirst < 0 || !b.word(l.stmtFirst+1, "TABLE") {
					return nil, 0
				}
			}
			l.items = b.splitItems(p+1, b.close[p], p)
		}
	case databaseList:
		if b.parent[i] != -1 {
			return nil, 0
		}
		intro := -1
		for k := i - 1; k >= 0; k-- {
			if b.parent[k] != -1 {
				continue
			}
			if b.wordIn(k, "SET", "WITH") {
				intro = k
				break
			}
			if b.punct(k, ";") {
				break
			}
		}
		if intro < 0 {
			return nil, 0
		}
		first := b.stmtBack(intro, "ALTER", "CREATE", "UPDATE")
		// CREATE|UPDATE STATISTICS ... WITH a, b = 1 is a list of the same form.
		stats := first >= 0 && b.word(first+1, "STATISTICS") && b.wordIn(first, "CREATE", "UPDATE") && b.word(intro, "WITH")
		if first < 0 || !stats && (b.word(first, "UPDATE") || !b.word(first+1, "DATABASE") || b.word(first+2, "SCOPED")) {
			return nil, 0
		}
		l = b.lists[intro]
		if l == nil {
			end := b.stmtEnd(intro + 1)
			if b.word(intro, "SET") {
				for k := intro + 1; k < end; k++ {
					if b.parent[k] == -1 && b.word(k, "WITH") {
						end = k
						break
					}
				}
			} else {
				first = -1
			}
			l = &optList{kind: kind, intro: intro, open: -1, stmtFirst: first, end: end}
			l.items = b.splitItems(intro+1, end, -1)
		}
	}
	if b.lists == nil {
		b.lists = map[int]*optList{}
	}
	b.lists[l.intro] = l
	if l.drop == nil {
		l.drop = make([]bool, len(l.items))
	}
	for k, it := range l.items {
		if it[0] == i {
			return l, k
		}
	}
	return nil, 0
}

// stmtBack walks back from i to the statement keyword (one of words) that
// begins its statement at the same depth; -1 when a ';' or another statement
// keyword comes first.
func (b *batch) stmtBack(i int, words ...string) int {
	d := b.parentOf(i)
	for k := i - 1; k >= 0; k-- {
		if b.parent[k] != d {
			continue
		}
		if b.punct(k, ";") {
			return -1
		}
		if b.wordIn(k, words...) {
			return k
		}
		if b.wordIn(k, stmtWords...) && !b.wordIn(k, "ALTER", "DROP") { // ALTER TABLE has ALTER COLUMN, DROP ...
			return -1
		}
	}
	return -1
}

// splitItems splits toks[from:to] at the commas whose parent is p.
func (b *batch) splitItems(from, to, p int) [][2]int {
	var items [][2]int
	start := from
	for k := from; k < to; k++ {
		if b.parent[k] == p && b.punct(k, ",") {
			items = append(items, [2]int{start, k})
			start = k + 1
		}
	}
	if start < to {
		items = append(items, [2]int{start, to})
	}
	return items
}

// finishLists turns dropped list items into edits.
func (b *batch) finishLists() {
	for _, l := range b.lists {
		all := true
		for _, d := range l.drop {
			all = all && d
		}
		if all && len(l.items) > 0 {
			if l.stmtFirst >= 0 {
				b.dropStatement(l.stmtFirst, l.end, true) // ALTER ... SET with nothing left to set
			} else {
				b.remove(l.intro, l.end, false) // WITH (...) or WITH a = 1: the clause goes
			}
			continue
		}
		for k := 0; k < len(l.items); k++ {
			if !l.drop[k] {
				continue
			}
			j := k
			for j+1 < len(l.items) && l.drop[j+1] {
				j++
			}
			last := l.items[j]
			if k > 0 { // from the end of the kept item before to the end of the run
				b.removeBytes(b.toks[l.items[k-1][1]-1].End, b.toks[last[1]-1].End)
			} else { // a leading run goes with the comma after it
				b.removeBytes(b.toks[l.items[k][0]].Start, b.toks[l.items[j+1][0]].Start)
			}
			k = j
		}
	}
}
