package pgdump

import (
	"bytes"
	"strings"
)

// The few statements of a plain pg_dump file the rewrite needs to read:
// COPY headers, SET client_encoding and search_path, and the unique
// constraints and indexes (which pg_dump writes after the data).

// token is one SQL token: an identifier (folded to lower case unless quoted),
// a keyword-like word (same), a punctuation character, or a literal.
type token struct {
	text   string
	quoted bool // a "quoted identifier" or a 'string literal'
	punct  byte // '(', ')', ',', '.', ';' or 0
}

// tokenize splits SQL text into tokens. It stops at the end of the text; it
// understands -- comments, "quoted identifiers" with "" escapes and
// 'literals' with ” escapes, which is all the statements read here need.
func tokenize(s []byte) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			var b strings.Builder
			i++
			for i < len(s) {
				if s[i] == c {
					if i+1 < len(s) && s[i+1] == c {
						b.WriteByte(c)
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			toks = append(toks, token{text: b.String(), quoted: true})
		case c == '(' || c == ')' || c == ',' || c == '.' || c == ';' || c == '=':
			toks = append(toks, token{text: string(c), punct: c})
			i++
		default:
			j := i
			for j < len(s) && !bytes.ContainsRune([]byte(" \t\r\n\"'(),.;="), rune(s[j])) {
				j++
			}
			if j == i {
				j++
			}
			toks = append(toks, token{text: strings.ToLower(string(s[i:j]))})
			i = j
		}
	}
	return toks
}

// is reports whether t is the unquoted word w (lower case).
func (t token) is(w string) bool { return !t.quoted && t.punct == 0 && t.text == w }

// tokens is a cursor over a token list.
type tokens struct {
	t []token
	i int
}

func (p *tokens) peek() token {
	if p.i < len(p.t) {
		return p.t[p.i]
	}
	return token{punct: ';', text: ";"}
}
func (p *tokens) next() token { t := p.peek(); p.i++; return t }

// word consumes the unquoted words ws in order, or nothing.
func (p *tokens) word(ws ...string) bool {
	for k, w := range ws {
		if p.i+k >= len(p.t) || !p.t[p.i+k].is(w) {
			return false
		}
	}
	p.i += len(ws)
	return true
}

// ident consumes an identifier.
func (p *tokens) ident() (string, bool) {
	t := p.peek()
	if t.punct != 0 || t.text == "" {
		return "", false
	}
	p.i++
	return t.text, true
}

// qualName consumes name or schema.name.
func (p *tokens) qualName() (schema, name string, ok bool) {
	name, ok = p.ident()
	if !ok {
		return "", "", false
	}
	if p.peek().punct == '.' {
		p.i++
		schema = name
		if name, ok = p.ident(); !ok {
			return "", "", false
		}
	}
	return schema, name, true
}

// parenList consumes ( elem, elem, ... ) and returns each element's tokens.
func (p *tokens) parenList() ([][]token, bool) {
	if p.peek().punct != '(' {
		return nil, false
	}
	p.i++
	var out [][]token
	var cur []token
	depth := 0
	for p.i < len(p.t) {
		t := p.next()
		switch {
		case t.punct == '(':
			depth++
		case t.punct == ')' && depth == 0:
			return append(out, cur), true
		case t.punct == ')':
			depth--
		case t.punct == ',' && depth == 0:
			out = append(out, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	return nil, false
}

// copyHeader is a parsed "COPY schema.table (cols) FROM stdin;" line.
type copyHeader struct {
	schema, table string
	columns       []string
}

// parseCopyHeader parses a COPY ... FROM stdin; line (without its line
// terminator). ok is false for anything else, including COPY with options
// (only the default text format is rewritten).
func parseCopyHeader(line []byte) (h copyHeader, ok bool) {
	if len(line) < 5 || !bytes.EqualFold(line[:5], []byte("COPY ")) {
		return h, false
	}
	p := &tokens{t: tokenize(line[5:])}
	if h.schema, h.table, ok = p.qualName(); !ok {
		return h, false
	}
	if p.peek().punct == '(' {
		elems, ok := p.parenList()
		if !ok {
			return h, false
		}
		for _, e := range elems {
			if len(e) != 1 || e[0].punct != 0 {
				return h, false
			}
			h.columns = append(h.columns, e[0].text)
		}
	}
	if !p.word("from", "stdin") || p.next().punct != ';' || p.i != len(p.t) {
		return h, false
	}
	return h, true
}

// parseSet reads "SET name = value;" and returns name and the first value.
func parseSet(line []byte) (name, value string, ok bool) {
	if len(line) < 4 || !bytes.EqualFold(line[:4], []byte("SET ")) {
		return "", "", false
	}
	p := &tokens{t: tokenize(line[4:])}
	if name, ok = p.ident(); !ok {
		return "", "", false
	}
	if !p.word("to") && p.next().punct != '=' {
		return "", "", false
	}
	if value, ok = p.ident(); !ok {
		return "", "", false
	}
	return name, value, true
}

// uniqueDef is a unique constraint, primary key or unique index of a table.
type uniqueDef struct {
	schema, table string
	name          string
	columns       []string // key columns; "" for an expression
	exprs         []string // the expression text for "" columns
	nullsEqual    bool     // NULLS NOT DISTINCT
	partial       bool     // a WHERE clause (checked as if absent)
	line          int64    // where the statement starts
}

// isUniqueStart reports whether a line starts a statement parseUnique reads.
func isUniqueStart(line []byte) bool {
	return hasPrefixFold(line, "ALTER TABLE ") || hasPrefixFold(line, "CREATE UNIQUE INDEX ")
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

// parseUnique reads
//
//	ALTER TABLE [ONLY] t ADD CONSTRAINT n {UNIQUE [NULLS [NOT] DISTINCT] | PRIMARY KEY} (cols) ...;
//	CREATE UNIQUE INDEX [CONCURRENTLY] [IF NOT EXISTS] n ON [ONLY] t [USING m] (elems) ... [NULLS [NOT] DISTINCT] [WHERE ...];
//
// and returns ok false for any other statement.
func parseUnique(stmt []byte) (u uniqueDef, ok bool) {
	p := &tokens{t: tokenize(stmt)}
	var elems [][]token
	switch {
	case p.word("alter", "table"):
		p.word("if", "exists")
		p.word("only")
		if u.schema, u.table, ok = p.qualName(); !ok {
			return u, false
		}
		if !p.word("add", "constraint") {
			return u, false
		}
		if u.name, ok = p.ident(); !ok {
			return u, false
		}
		switch {
		case p.word("unique"):
			if p.word("nulls", "not", "distinct") {
				u.nullsEqual = true
			} else {
				p.word("nulls", "distinct")
			}
		case p.word("primary", "key"):
		default:
			return u, false
		}
		if elems, ok = p.parenList(); !ok {
			return u, false
		}
	case p.word("create", "unique", "index"):
		p.word("concurrently")
		p.word("if", "not", "exists")
		if u.name, ok = p.ident(); !ok || !p.word("on") {
			return u, false
		}
		p.word("only")
		if u.schema, u.table, ok = p.qualName(); !ok {
			return u, false
		}
		if p.word("using") {
			p.next()
		}
		if elems, ok = p.parenList(); !ok {
			return u, false
		}
		for p.i < len(p.t) {
			switch t := p.next(); {
			case t.is("nulls") && p.word("not", "distinct"):
				u.nullsEqual = true
			case t.is("where"):
				u.partial = true
			}
		}
	default:
		return u, false
	}
	for _, e := range elems {
		col, expr := indexElem(e)
		u.columns = append(u.columns, col)
		u.exprs = append(u.exprs, expr)
	}
	return u, len(u.columns) > 0
}

// indexElem returns the column of a plain index element (a column name
// optionally followed by COLLATE, an operator class, ASC/DESC, NULLS
// FIRST/LAST), or "" and the expression's text.
func indexElem(e []token) (column, expr string) {
	if len(e) >= 1 && e[0].punct == 0 && (len(e) == 1 || e[1].punct == 0) {
		return e[0].text, ""
	}
	var b strings.Builder
	for i, t := range e {
		if i > 0 && t.punct == 0 && e[i-1].punct == 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return "", b.String()
}

// parseCreateDatabase reads the locale settings of pg_dump -C's
// "CREATE DATABASE name WITH ... LOCALE_PROVIDER = icu LOCALE = 'x' LC_CTYPE = 'y';".
// ctype is LC_CTYPE, else LOCALE; provider is "" when not given (libc).
func parseCreateDatabase(line []byte) (ctype, provider string, ok bool) {
	if !hasPrefixFold(line, "CREATE DATABASE ") {
		return "", "", false
	}
	toks := tokenize(line)
	var locale string
	for i := 0; i+2 < len(toks); i++ {
		if toks[i+1].punct != '=' {
			continue
		}
		switch v := toks[i+2].text; {
		case toks[i].is("lc_ctype"):
			ctype = v
		case toks[i].is("locale"):
			locale = v
		case toks[i].is("locale_provider"):
			provider = v
		}
	}
	if ctype == "" {
		ctype = locale
	}
	return ctype, provider, true
}
