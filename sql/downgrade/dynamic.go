package downgrade

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/sql/tsql"
)

// Dynamic SQL.
//
// SSMS's "check for object existence" option writes every module as
//
//	IF NOT EXISTS (...) EXEC dbo.sp_executesql @statement = N'CREATE VIEW ...'
//
// so the statement that needs the rules is a string. The statement literal
// of EXEC sp_executesql and of EXEC (N'...') is unquoted, checked and
// rewritten as a batch of its own, and written back with its quotes doubled.
// Findings inside it point at their line and column in the script. A
// literal built by concatenation or held in a variable is not looked into,
// nor one run on a linked server (EXEC (...) AT server), with one exception:
// the form xdm sql script writes for a statement that sqlcmd would alter,
//
//	DECLARE @sql nvarchar(max) = CAST(N'...$' AS nvarchar(max)) + N'(x)...' + NCHAR(10) + N'...';
//	EXEC (@sql);
//
// whose text is read and checked (findings only: a rewrite cannot be
// written back into the concatenation, so what would need one is refused).

// maxDynamicDepth bounds how deep dynamic SQL inside dynamic SQL is read.
const maxDynamicDepth = 4

// dynamicSep separates the batches of a rewrite inside dynamic SQL (where
// no GO can stand): each becomes an EXEC of its own.
const dynamicSep = "\x00xdm:batch\x00"

// dynamicSQL applies the rules inside the statement literals of the batch.
func (b *batch) dynamicSQL() {
	if b.depth >= maxDynamicDepth {
		return
	}
	for _, i := range b.at("EXEC", "EXECUTE") {
		if lit := b.dynamicLiteral(i); lit > 0 {
			b.rewriteDynamic(i, lit)
		} else if d, text, offs := b.dynamicVariable(i); text != nil {
			b.checkDynamic(d, text, offs)
		}
	}
}

// dynamicVariable returns, for EXEC (@v) at toks[i], the DECLARE before it
// that sets @v to a concatenation of string literals, CAST(literal AS ...)
// and NCHAR(n)/CHAR(n), with the text it builds and, for each byte of the
// text and its end, the offset in src it comes from. text is nil for any
// other EXEC.
func (b *batch) dynamicVariable(i int) (d int, text []byte, offs []int) {
	k := i + 1
	if !b.punct(k, "(") || b.close[k] != k+2 || b.toks[k+1].Kind != tsql.Variable || b.word(k+3, "AT") {
		return -1, nil, nil
	}
	v := b.text(k + 1)
	d = -1
	for _, j := range b.at("DECLARE") {
		if j < i && j+2 < len(b.toks) && strings.EqualFold(b.text(j+1), v) {
			d = j
		}
	}
	if d < 0 {
		return -1, nil, nil
	}
	for j := d + 2; j < i; j++ {
		if b.toks[j].Kind == tsql.Variable && strings.EqualFold(b.text(j), v) {
			return -1, nil, nil // set again after the DECLARE: its text is not known
		}
	}
	k = d + 3 // after DECLARE @v type
	if b.punct(k, "(") {
		k = b.after(k)
	}
	if !b.punct(k, "=") {
		return -1, nil, nil
	}
	for k++; k < i; k++ {
		lit := -1
		switch {
		case b.toks[k].Kind == tsql.String:
			lit = k
		case b.word(k, "CAST") && b.punct(k+1, "(") && k+3 < len(b.toks) && b.toks[k+2].Kind == tsql.String && b.word(k+3, "AS"):
			lit, k = k+2, b.after(k+1)-1
		case (b.word(k, "NCHAR") || b.word(k, "CHAR")) && b.punct(k+1, "(") && b.close[k+1] == k+3 && b.toks[k+2].Kind == tsql.Number:
			n, err := strconv.Atoi(b.text(k + 2))
			if err != nil || n < 0 || n > utf8.MaxRune {
				return -1, nil, nil
			}
			r := utf8.AppendRune(nil, rune(n))
			text = append(text, r...)
			for range r {
				offs = append(offs, b.toks[k].Start)
			}
			k += 3
		default:
			return -1, nil, nil
		}
		if lit >= 0 {
			_, t, o, ok := unquoteLiteral(b.src, b.toks[lit])
			if !ok {
				return -1, nil, nil
			}
			text = append(text, t...)
			offs = append(offs, o[:len(o)-1]...)
		}
		if !b.punct(k+1, "+") {
			if text == nil {
				text = []byte{}
			}
			return d, text, append(offs, b.toks[k].End)
		}
		k++
	}
	return -1, nil, nil
}

// checkDynamic applies the rules to the text a DECLARE at toks[d] builds
// for EXEC (@v), for their findings. A finding that needs the text changed
// becomes a refusal: the concatenation cannot be rewritten.
func (b *batch) checkDynamic(d int, text []byte, offs []int) {
	if !mayMatch(text, b.target) {
		return
	}
	sub := newBatch(text, b.opts, b.pos)
	sub.depth = b.depth + 1
	sub.sep = dynamicSep
	sub.outer = b.outer
	sub.locate = func(off int) (int, int) { return b.place(d, offs[off]) }
	sub.run()
	for _, f := range sub.findings {
		if f.Action == Rewrite || f.Action == Omit {
			f.Action = Refuse
			f.Message = "not done: the statement is dynamic SQL built in a variable (DECLARE @v = ...; EXEC (@v)), which xdm cannot rewrite; change it by hand (the rule: " + f.Message + ")"
		}
		b.findings = append(b.findings, f)
	}
}

// dynamicLiteral returns the index of the statement literal of the EXEC at
// toks[i], or -1: EXEC (N'...'), EXEC [@rc =] [sys.|dbo.]sp_executesql
// N'...' or @statement = N'...'.
func (b *batch) dynamicLiteral(i int) int {
	k := i + 1
	if k < len(b.toks) && b.toks[k].Kind == tsql.Variable && b.punct(k+1, "=") {
		k += 2
	}
	lit := -1
	if b.punct(k, "(") {
		// EXEC (...) AT server runs on a linked server, whose release
		// is not the target.
		if b.close[k] == k+2 && !b.word(k+3, "AT") {
			lit = k + 1
		}
	} else if next, parts := b.name(k); parts != nil && strings.EqualFold(last(parts), "sp_executesql") {
		lit = next
		if lit < len(b.toks) && b.toks[lit].Kind == tsql.Variable && strings.EqualFold(b.text(lit), "@statement") && b.punct(lit+1, "=") {
			lit += 2
		}
	}
	if lit < 0 || lit >= len(b.toks) || b.toks[lit].Kind != tsql.String {
		return -1
	}
	return lit
}

// unquoteLiteral returns the text of the string literal tok ('...' or
// N'...') and, for each of its bytes and the end, the offset in src it
// comes from. ok is false for a literal that is not closed.
func unquoteLiteral(src []byte, tok tsql.Token) (prefix string, text []byte, offs []int, ok bool) {
	s := src[tok.Start:tok.End]
	q := 0
	if len(s) > 0 && (s[0] == 'N' || s[0] == 'n') {
		q = 1
	}
	if len(s) < q+2 || s[q] != '\'' || s[len(s)-1] != '\'' {
		return "", nil, nil, false
	}
	for k := q + 1; k < len(s)-1; k++ {
		if s[k] == '\'' {
			if s[k+1] != '\'' || k+1 == len(s)-1 {
				return "", nil, nil, false
			}
			text = append(text, '\'')
			offs = append(offs, tok.Start+k)
			k++
			continue
		}
		text = append(text, s[k])
		offs = append(offs, tok.Start+k)
	}
	offs = append(offs, tok.End-1)
	return string(s[:q]), text, offs, true
}

// rewriteDynamic applies the rules to the literal toks[lit] of the EXEC at
// toks[i].
func (b *batch) rewriteDynamic(i, lit int) {
	tok := b.toks[lit]
	prefix, text, offs, ok := unquoteLiteral(b.src, tok)
	if !ok || !mayMatch(text, b.target) {
		return
	}
	sub := newBatch(text, b.opts, b.pos)
	sub.depth = b.depth + 1
	sub.sep = dynamicSep
	sub.outer = b.objectAt(lit)
	if sub.outer == "" {
		sub.outer = b.outer
	}
	sub.locate = func(off int) (int, int) { return b.place(lit, offs[off]) }
	sub.run()
	b.findings = append(b.findings, sub.findings...)
	if len(sub.edits) == 0 && len(sub.wraps) == 0 {
		return
	}
	parts := strings.Split(string(sub.apply(nil)), dynamicSep)
	quote := func(s string) string { return prefix + "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	if len(parts) == 1 {
		b.replace(lit, lit+1, quote(parts[0]))
		return
	}
	// The statement needs several batches: one EXEC for each, with the
	// same arguments.
	end := b.stmtEnd(lit + 1)
	head := string(b.src[b.toks[i].Start:tok.Start])
	tail := string(b.src[tok.End:b.toks[end-1].End])
	stmts := make([]string, len(parts))
	for k, p := range parts {
		stmts[k] = head + quote(p) + tail
	}
	b.replace(i, end, b.guarded(i, stmts))
}

// place returns the line and column in the script of the byte offset off,
// which lies at or after toks[i]: columns count characters as the lexer
// does (a byte that is not UTF-8 counts as one).
func (b *batch) place(i, off int) (line, col int) {
	if b.locate != nil {
		return b.locate(off)
	}
	t := b.toks[i]
	line, col = t.Line+b.pos.line()-1, t.Column
	for p := t.Start; p < off; {
		switch c := b.src[p]; {
		case c == '\n':
			line, col = line+1, 1
			p++
		case c < utf8.RuneSelf:
			col++
			p++
		default:
			_, n := utf8.DecodeRune(b.src[p:])
			col++
			p += n
		}
	}
	return line, col
}
