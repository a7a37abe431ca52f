package downgrade

import (
	"bytes"
	"sort"
	"strings"

	"github.com/xdm-migrate/xdm/sql/tsql"
	"github.com/xdm-migrate/xdm/sql/version"
)

// batch is one batch being checked or rewritten: its code tokens (trivia
// dropped), the paren structure, and the edits and findings the rules made.
type batch struct {
	src    []byte
	toks   []tsql.Token // code tokens only: no blanks, no comments
	opts   *Options
	target version.Version
	pos    Position
	eol    string

	parent []int // index of the '(' enclosing toks[i], or -1
	close  []int // for a '(' the index of its ')' (len(toks) when unclosed)

	words    map[string][]int // token indexes of each word (ASCII upper case)
	decls    []decl           // object declarations, in token order
	lists    map[int]*optList
	edits    []edit
	wraps    []wrap
	modules  []module // CREATE OR ALTER rewrites, finished once every rule has run
	findings []Finding

	// sep separates the batches a rewrite splits into (CREATE OR ALTER
	// needs a batch of its own for the stub): a GO line, or inside dynamic
	// SQL a marker the enclosing batch splits on (see dynamic.go).
	sep string
	// For dynamic SQL (the statement literal of sp_executesql or EXEC):
	// locate returns the line and column in the script of a byte offset in
	// src, outer names the object of the enclosing statement, and depth
	// counts the nesting.
	locate func(off int) (line, col int)
	outer  string
	depth  int
	seq    int // numbers the variables rewrites declare in this batch
}

type edit struct {
	start, end int // byte offsets in src
	repl       string
}

// wrap turns the bytes of [start, end), after the edits inside them are
// applied, into new text: a statement that must run as dynamic SQL is
// rewritten by the other rules first and then quoted.
type wrap struct {
	start, end int
	fn         func(inner string) string
}

type decl struct {
	at   int
	name string
}

func newBatch(src []byte, opts *Options, pos Position) *batch {
	b := &batch{src: src, opts: opts, target: opts.target(), pos: pos, eol: "\n"}
	if bytes.Contains(src, []byte("\r\n")) {
		b.eol = "\r\n"
	}
	b.sep = ";" + b.eol + "GO" + b.eol
	b.words = map[string][]int{}
	for _, t := range tsql.Lex(src) {
		if t.Kind.Trivia() {
			continue
		}
		if t.Kind == tsql.Word {
			w := asciiUpper(t.Text(src))
			b.words[w] = append(b.words[w], len(b.toks))
		}
		b.toks = append(b.toks, t)
	}
	n := len(b.toks)
	b.parent = make([]int, n)
	b.close = make([]int, n)
	var stack []int
	for i := range b.toks {
		b.close[i] = -1
		if len(stack) > 0 {
			b.parent[i] = stack[len(stack)-1]
		} else {
			b.parent[i] = -1
		}
		switch {
		case b.punct(i, "("):
			stack = append(stack, i)
		case b.punct(i, ")") && len(stack) > 0:
			open := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			b.close[open] = i
			b.parent[i] = b.parentOf(open)
		}
	}
	for _, open := range stack {
		b.close[open] = n
	}
	b.findDecls()
	return b
}

// after returns the index after the ')' that closes the '(' at open, or
// len(toks) when it is not closed.
func (b *batch) after(open int) int {
	return min(b.close[open]+1, len(b.toks))
}

func (b *batch) parentOf(i int) int {
	if i < 0 || i >= len(b.parent) {
		return -1
	}
	return b.parent[i]
}

// at returns the indexes of the tokens that are one of the words, in order.
func (b *batch) at(words ...string) []int {
	if len(words) == 1 {
		return b.words[words[0]]
	}
	var out []int
	for _, w := range words {
		out = append(out, b.words[w]...)
	}
	sort.Ints(out)
	return out
}

// asciiUpper upper-cases the ASCII letters of w, as Token.Is compares.
func asciiUpper(w []byte) string {
	u := []byte(string(w))
	for i, c := range u {
		if 'a' <= c && c <= 'z' {
			u[i] = c - ('a' - 'A')
		}
	}
	return string(u)
}

// word reports whether toks[i] is the unquoted word w (upper case).
func (b *batch) word(i int, w string) bool {
	return i >= 0 && i < len(b.toks) && b.toks[i].Is(b.src, w)
}

// wordIn reports whether toks[i] is one of the words.
func (b *batch) wordIn(i int, ws ...string) bool {
	for _, w := range ws {
		if b.word(i, w) {
			return true
		}
	}
	return false
}

func (b *batch) punct(i int, p string) bool {
	return i >= 0 && i < len(b.toks) && b.toks[i].IsPunct(b.src, p)
}

func (b *batch) text(i int) string { return string(b.toks[i].Text(b.src)) }

func (b *batch) upper(i int) string {
	if i < 0 || i >= len(b.toks) {
		return ""
	}
	return strings.ToUpper(b.text(i))
}

// isNamePart reports whether toks[i] can be part of an object name.
func (b *batch) isNamePart(i int) bool {
	if i < 0 || i >= len(b.toks) {
		return false
	}
	switch b.toks[i].Kind {
	case tsql.Word, tsql.Bracketed, tsql.Quoted, tsql.TempName, tsql.SqlcmdVar:
		return true
	}
	return false
}

// name reads a multi-part name starting at i: a.b, [a].[b], db..t. It returns
// the index after the name and the unquoted parts; next == i when there is none.
func (b *batch) name(i int) (next int, parts []string) {
	if !b.isNamePart(i) {
		return i, nil
	}
	parts = append(parts, tsql.Unquote(b.toks[i].Text(b.src)))
	j := i + 1
	for b.punct(j, ".") {
		j++
		if b.isNamePart(j) {
			parts = append(parts, tsql.Unquote(b.toks[j].Text(b.src)))
			j++
		} else {
			parts = append(parts, "")
		}
	}
	return j, parts
}

// compact returns the code of toks[i:j] on one line: tokens separated by
// one blank where the original had blanks or comments between them.
func (b *batch) compact(i, j int) string {
	var sb strings.Builder
	for k := i; k < j && k < len(b.toks); k++ {
		if k > i && b.toks[k].Start > b.toks[k-1].End {
			sb.WriteByte(' ')
		}
		sb.Write(b.toks[k].Text(b.src))
	}
	return sb.String()
}

// raw returns the original bytes from toks[i] to toks[j-1].
func (b *batch) raw(i, j int) string {
	return string(b.src[b.toks[i].Start:b.toks[j-1].End])
}

// statement-start keywords: a new statement begins here when no ';' ended the last one.
var stmtWords = []string{"ALTER", "CREATE", "DROP", "USE", "IF", "ELSE", "WHILE", "EXEC", "EXECUTE", "DECLARE",
	"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "PRINT", "BEGIN", "END", "GRANT", "DENY", "REVOKE",
	"RAISERROR", "RETURN", "TRUNCATE", "SET", "DBCC", "CHECKPOINT", "BACKUP", "RESTORE", "GO"}

// stmtEnd returns the index after the statement that continues at from: the
// first ';' or statement keyword at the same paren depth, or the batch end.
func (b *batch) stmtEnd(from int) int {
	depth := b.parentOf(from)
	for k := from; k < len(b.toks); k++ {
		if depth >= 0 && k == b.close[depth] {
			return k
		}
		if b.parent[k] != depth {
			continue
		}
		if b.punct(k, ";") || (k > from && b.wordIn(k, stmtWords...)) {
			return k
		}
	}
	return len(b.toks)
}

// atStmtStart reports whether the statement at toks[i] stands on its own,
// rather than being the body of an IF, ELSE or WHILE: it is first in the
// batch or after ';', or the nearest statement keyword before it (at the
// same depth) starts another statement.
func (b *batch) atStmtStart(i int) bool {
	if i == 0 || b.punct(i-1, ";") {
		return true
	}
	d := b.parentOf(i)
	for k := i - 1; k >= 0; k-- {
		if b.parent[k] != d {
			continue
		}
		if b.punct(k, ";") {
			return true
		}
		if b.word(k, "IF") && b.word(k+1, "EXISTS") && (b.word(k-1, "DROP") || b.word(k-2, "DROP") || b.word(k-3, "DROP")) {
			continue // DROP ... IF EXISTS
		}
		if b.wordIn(k, stmtWords...) {
			return !b.wordIn(k, "IF", "ELSE", "WHILE")
		}
	}
	return true
}

// findDecls records CREATE/ALTER/DROP <kind> <name> so findings can name the object.
func (b *batch) findDecls() {
	for i := range b.toks {
		if !b.wordIn(i, "CREATE", "ALTER", "DROP") {
			continue
		}
		j := i + 1
		if b.word(j, "OR") && b.word(j+1, "ALTER") {
			j += 2
		}
		for b.wordIn(j, "UNIQUE", "CLUSTERED", "NONCLUSTERED", "COLUMNSTORE", "XML", "SPATIAL", "PRIMARY") {
			j++
		}
		kind := b.upper(j)
		switch kind {
		case "PROC":
			kind = "PROCEDURE"
		case "PROCEDURE", "FUNCTION", "VIEW", "TRIGGER", "TABLE", "INDEX", "TYPE", "SCHEMA", "SEQUENCE", "SYNONYM", "DATABASE",
			"USER", "ROLE", "LOGIN", "ASSEMBLY", "DEFAULT", "RULE":
		case "SECURITY":
			if !b.word(j+1, "POLICY") {
				continue
			}
			kind, j = "SECURITY POLICY", j+1
		default:
			continue
		}
		j++
		if b.word(j, "IF") && b.word(j+1, "EXISTS") {
			j += 2
		}
		if kind == "DATABASE" && b.word(j, "SCOPED") {
			b.decls = append(b.decls, decl{i, "DATABASE SCOPED CONFIGURATION"})
			continue
		}
		if _, parts := b.name(j); parts != nil {
			b.decls = append(b.decls, decl{i, kind + " " + strings.Join(parts, ".")})
			switch kind {
			case "PROCEDURE", "FUNCTION", "VIEW", "TRIGGER":
				if !b.word(i, "DROP") {
					return // the rest of the batch is the module's body: a CREATE TABLE #t in it stays the module's
				}
			}
		}
	}
}

// objectAt names the object whose statement contains toks[i].
func (b *batch) objectAt(i int) string {
	k := sort.Search(len(b.decls), func(k int) bool { return b.decls[k].at > i })
	if k == 0 {
		return ""
	}
	return b.decls[k-1].name
}

// report records a finding at toks[i]. An empty msg takes the rule's message.
func (b *batch) report(i int, r *ruleDef, a Action, intro version.Version, msg string) {
	if msg == "" {
		msg = r.Message
	}
	if a == Refuse {
		if loss := b.lossOf(i); loss != "" {
			msg += "; " + loss
		}
	}
	b.add(i, r, a, intro, msg)
}

// add records a finding at toks[i] with msg as it is: report without the
// loss of a refused statement, for a statement that fails only when it
// runs (a module calling a procedure is created all the same).
func (b *batch) add(i int, r *ruleDef, a Action, intro version.Version, msg string) {
	if intro == 0 {
		intro = r.Introduced
	}
	obj := b.objectAt(i)
	if obj == "" {
		obj = b.outer
	}
	t := b.toks[i]
	line, col := t.Line+b.pos.line()-1, t.Column
	if b.locate != nil {
		line, col = b.locate(t.Start)
	}
	b.findings = append(b.findings, Finding{Rule: r.ID, Feature: r.Feature, Introduced: intro, Action: a,
		File: b.pos.File, Line: line, Column: col, Object: obj, Message: msg})
}

// replace replaces the bytes of toks[i..j-1] with s.
func (b *batch) replace(i, j int, s string) {
	b.edits = append(b.edits, edit{b.toks[i].Start, b.toks[j-1].End, s})
}

// remove drops the bytes from toks[i] to toks[j-1], and a ';' right after
// them when withSemi is set. The line breaks inside stay, so every later line
// keeps its number.
func (b *batch) remove(i, j int, withSemi bool) {
	if withSemi && b.punct(j, ";") {
		j++
	}
	b.removeBytes(b.toks[i].Start, b.toks[j-1].End)
}

// removeClause drops toks[i..j-1] with the blanks before them on their
// line, so that "NOT NULL DEFAULT (x)," becomes "NOT NULL," rather than
// "NOT NULL ,".
func (b *batch) removeClause(i, j int) {
	start := b.toks[i].Start
	if i > 0 {
		prev := b.toks[i-1].End
		if strings.Trim(string(b.src[prev:start]), " \t") == "" {
			start = prev
		}
	}
	b.removeBytes(start, b.toks[j-1].End)
}

func (b *batch) removeBytes(start, end int) {
	var keep strings.Builder
	for _, c := range b.src[start:end] {
		if c == '\n' || c == '\r' {
			keep.WriteByte(c)
		}
	}
	b.edits = append(b.edits, edit{start, end, keep.String()})
}

// apply writes src with the edits applied to dst. Edits that overlap an
// earlier one are dropped; a removal that would glue two words together
// leaves one blank between them.
func (b *batch) apply(dst []byte) []byte {
	b.resolveWraps()
	return applyEdits(dst, b.src, 0, len(b.src), b.edits)
}

// sortEdits orders edits by start, an insertion before a replacement that
// starts at the same byte.
func sortEdits(es []edit) {
	sort.SliceStable(es, func(x, y int) bool {
		if es[x].start != es[y].start {
			return es[x].start < es[y].start
		}
		return es[x].end < es[y].end
	})
}

// resolveWraps turns each wrap, innermost first, into one edit holding its
// text with the edits inside it applied.
func (b *batch) resolveWraps() {
	sort.SliceStable(b.wraps, func(x, y int) bool {
		return b.wraps[x].end-b.wraps[x].start < b.wraps[y].end-b.wraps[y].start
	})
	for _, w := range b.wraps {
		var inside, rest []edit
		for _, e := range b.edits {
			if e.start >= w.start && e.end <= w.end {
				inside = append(inside, e)
			} else {
				rest = append(rest, e)
			}
		}
		sortEdits(inside)
		inner := applyEdits(nil, b.src, w.start, w.end, inside)
		b.edits = append(rest, edit{w.start, w.end, w.fn(string(inner))})
	}
	b.wraps = nil
	sortEdits(b.edits)
}

// applyEdits appends src[from:to] with the sorted edits applied to dst.
func applyEdits(dst, src []byte, from, to int, edits []edit) []byte {
	at := from
	for _, e := range edits {
		if e.start < at {
			continue
		}
		dst = append(dst, src[at:e.start]...)
		dst = append(dst, e.repl...)
		if e.repl == "" && e.start > 0 && e.end < len(src) && wordByte(src[e.start-1]) && wordByte(src[e.end]) {
			dst = append(dst, ' ')
		}
		at = e.end
	}
	return append(dst, src[at:to]...)
}

func wordByte(c byte) bool {
	return c == '_' || c == '@' || c == '#' || c == '$' || c >= 0x80 ||
		('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// sqlString quotes s as an N'...' literal.
func sqlString(s string) string {
	return "N'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// shorten cuts s to at most max bytes, ending in "..." when cut, without
// splitting a UTF-8 sequence.
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - 3
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
