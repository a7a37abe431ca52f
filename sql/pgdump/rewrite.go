// Package pgdump lowercases the UCC invitation addresses in a plain-format
// pg_dump file (the XPR Smart Backup's dump.sql) without a database: it
// streams the dump through the transform engine, finds the COPY blocks of
// symVCC.symConferenceUserTempl and symConferencing.Invitees in whatever
// spelling, and rewrites only the InvitationAddress field of their rows.
// Every other byte of the file comes out as it went in, and a field whose
// lowercase form equals its value is not re-encoded.
//
// The unique constraints and indexes of a dump come after its data, so the
// collision check can only conclude at the end: Rewrite streams the output
// and reports collisions (ErrCollisions) when the input is exhausted, and the
// caller discards what was written (the CLI writes to a temporary file and
// deletes it). To check without writing, pass io.Discard.
//
// Memory is bounded by the engine's queue (workers × chunk size) plus, for
// the collision check, the rows of the two target tables (each row's line
// and its lowercased value): those tables hold configuration, not messages,
// so this is a small share of a dump.
package pgdump

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/sql/ucc"
	"github.com/xdm-migrate/xdm/transform"
)

// Target is one column to lowercase (see package ucc).
type Target = ucc.Target

// DefaultTargets are the two columns of the XPR upgrade manual.
var DefaultTargets = ucc.DefaultTargets

// Options tune Rewrite. The zero value lowercases DefaultTargets with
// Unicode rules, one worker per CPU.
type Options struct {
	// Targets to lowercase; nil means DefaultTargets.
	Targets []Target
	// ASCII lowercases A-Z only, as lower() does in a database with the C
	// locale. Otherwise each character is mapped with Unicode's simple
	// lowercase mapping, as lower() does in a UTF-8 database with a libc
	// (glibc) locale.
	ASCII bool
	// Workers and ChunkSize are handed to the transform engine (0: defaults).
	Workers, ChunkSize int
	// SampleSize is the number of changes kept in Report.Sample; 0 means 10,
	// negative none.
	SampleSize int
	// Progress, if set, is called with the number of input bytes read so far.
	Progress func(bytesRead int64)
}

// Report is what Rewrite found.
type Report struct {
	// Encoding is the dump's client_encoding (UTF8 when it sets none).
	Encoding string `json:"encoding"`
	// CType and LocaleProvider are the database's LC_CTYPE (or LOCALE) and
	// locale provider from the CREATE DATABASE of a dump made with pg_dump -C,
	// empty otherwise. lower() depends on them: see LocaleNote.
	CType          string `json:"ctype,omitempty"`
	LocaleProvider string `json:"locale_provider,omitempty"`
	// Tables are the COPY blocks of target tables, in file order.
	Tables []TableReport `json:"tables"`
	// Missing are the targets without a COPY block in the dump.
	Missing []Target `json:"missing,omitempty"`
	// Rows and Changed count the data rows of the target tables and those
	// whose value was (or, with collisions, would be) lowercased.
	Rows    int64 `json:"rows"`
	Changed int64 `json:"changed"`
	// Sample holds the first changes.
	Sample     []Change    `json:"sample,omitempty"`
	Collisions []Collision `json:"collisions,omitempty"`
}

// TableReport is one COPY block of a target table.
type TableReport struct {
	Target Target `json:"target"`
	// Schema, Table and Column are the names as the dump has them.
	Schema  string `json:"schema"`
	Table   string `json:"table"`
	Column  string `json:"column"`
	Line    int64  `json:"line"` // of the COPY header
	Rows    int64  `json:"rows"`
	Changed int64  `json:"changed"`
}

// LocaleNote says, for a dump that names its database's locale, where the
// database's own lower() would differ from this rewrite with the given ASCII
// setting; "" when it would not (or the dump does not say).
func (r *Report) LocaleNote(ascii bool) string {
	c := strings.ToUpper(r.CType)
	switch {
	case strings.EqualFold(r.LocaleProvider, "icu"):
		return "the database uses ICU: its lower() maps a word-final Σ to ς and İ to i̇, where this rewrite writes σ and i"
	case !ascii && (c == "C" || c == "POSIX"):
		return "the database's LC_CTYPE is " + r.CType + ": its lower() changes only A-Z (use --ascii to match)"
	case ascii && c != "" && c != "C" && c != "POSIX":
		return "the database's LC_CTYPE is " + r.CType + ": its lower() changes more than A-Z (drop --ascii to match)"
	}
	return ""
}

// Change is one rewritten value (in UTF-8, whatever the dump's encoding).
type Change struct {
	Line int64  `json:"line"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Collision is a set of rows that a unique constraint or index of the dump
// would reject after lowercasing.
type Collision struct {
	Table string `json:"table"` // schema.table as in the dump
	// Constraint is the constraint or index name, ConstraintLine where the
	// dump defines it.
	Constraint     string `json:"constraint"`
	ConstraintLine int64  `json:"constraint_line"`
	// Columns are the key columns, Key their shared values after
	// lowercasing (NULL as "NULL").
	Columns []string `json:"columns"`
	Key     []string `json:"key"`
	// Values are the colliding values as the dump has them, Lines their rows.
	Values []string `json:"values"`
	Lines  []int64  `json:"lines"`
}

func (c Collision) String() string {
	parts := make([]string, len(c.Columns))
	for i := range c.Columns {
		parts[i] = c.Columns[i] + "=" + c.Key[i]
	}
	where := make([]string, len(c.Values))
	for i := range c.Values {
		where[i] = fmt.Sprintf("%q (line %d)", c.Values[i], c.Lines[i])
	}
	return fmt.Sprintf("%s: %s (line %d): (%s) would be shared by %s",
		c.Table, c.Constraint, c.ConstraintLine, strings.Join(parts, ", "), strings.Join(where, ", "))
}

var (
	// ErrCollisions is returned with a report listing them when a unique
	// constraint or index of the dump would reject the lowercased values.
	// The output written so far must be discarded.
	ErrCollisions = errors.New("lowercasing would create duplicate values in a unique constraint or index")
)

// block is one COPY block of a target table. Split creates it; after that
// only Collect touches its counters.
type block struct {
	TableReport
	col     int      // field index of the target column
	columns []string // header's column list
	lower   *lowerer
	// For the collision check: the chunks of target rows, kept whole (one
	// allocation per chunk), with each non-NULL row's line, place and the
	// hash of its lowercased value.
	parts []chunkRows
	seen  map[uint64]uint8 // rows per hash, saturating at 2
}

// rowRef is a data row kept for the collision check.
type rowRef struct {
	hash       uint64 // of the lowercased value
	line       int64
	start, end int // the row (without line terminator) in its chunk
}

// chunkState is the engine's per-chunk state: every line of a chunk is a data
// row of blk, or (blk nil) passes through.
type chunkState struct {
	blk  *block
	line int64 // number of the chunk's first line
}

// chunkRows is Process's Value for a chunk of target rows: the chunk's bytes
// (as read), its non-NULL rows, and its changes.
type chunkRows struct {
	blk     *block
	data    []byte
	rows    []rowRef
	nrows   int64
	changed []int32 // indexes into rows
}

// rewriter holds the sequential parse state of one Rewrite.
type rewriter struct {
	opt     Options
	targets []Target
	sample  int

	line        int64 // number of the next line to split
	blk         *block
	inOtherCopy bool
	encoding    string
	lower       *lowerer
	encErr      error
	searchPath  string
	ctype       string
	provider    string
	stmt        []byte
	stmtLine    int64

	blocks  []*block
	uniques []uniqueDef
	seed    maphash.Seed

	// owned by Collect
	rows, changed int64
	sampled       []Change
}

// maxStatement bounds the statement buffered for the unique definitions.
const maxStatement = 1 << 20

// Rewrite copies the dump from r to w, lowercasing the target columns in the
// COPY blocks. It returns the report and, after the whole input was written,
// ErrCollisions when lowercasing would break a unique constraint of the dump.
// Malformed target rows and COPY headers are a *transform.LineError naming
// the line.
func Rewrite(ctx context.Context, r io.Reader, w io.Writer, opt Options) (*Report, error) {
	rw := &rewriter{opt: opt, targets: opt.Targets, sample: opt.SampleSize, line: 1, encoding: "UTF8", searchPath: "public"}
	if rw.targets == nil {
		rw.targets = DefaultTargets
	}
	if rw.sample == 0 {
		rw.sample = 10
	}
	rw.lower, _ = newLowerer("UTF8", opt.ASCII)
	rw.seed = maphash.MakeSeed()
	err := transform.Run(ctx, r, w, transform.Options{
		Workers:   opt.Workers,
		ChunkSize: opt.ChunkSize,
		Split:     rw.split,
		Process:   rw.process,
		Collect:   rw.collect,
		Progress:  opt.Progress,
	})
	rep := rw.report()
	if err != nil {
		return rep, err
	}
	rep.Collisions = rw.collisions()
	if len(rep.Collisions) > 0 {
		return rep, ErrCollisions
	}
	return rep, nil
}

func (rw *rewriter) report() *Report {
	rep := &Report{Encoding: rw.encoding, CType: rw.ctype, LocaleProvider: rw.provider,
		Rows: rw.rows, Changed: rw.changed, Sample: rw.sampled}
	found := map[Target]bool{}
	for _, b := range rw.blocks {
		rep.Tables = append(rep.Tables, b.TableReport)
		found[b.Target] = true
	}
	for _, t := range rw.targets {
		if !found[t] {
			rep.Missing = append(rep.Missing, t)
		}
	}
	return rep
}

// trimEOL drops a line's \n or \r\n.
func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

func isEndMarker(line []byte) bool { return len(line) == 2 && line[0] == '\\' && line[1] == '.' }

// split cuts the dump at line ends so that a chunk is either all data rows of
// one target COPY block or text that passes through, and follows the
// statements that matter on the way. It runs sequentially.
func (rw *rewriter) split(data []byte, atEOF bool) (int, any, error) {
	start := chunkState{blk: rw.blk, line: rw.line}
	i := 0
	for i < len(data) {
		end := len(data)
		if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
			end = i + j + 1
		} else if !atEOF {
			break
		}
		line := trimEOL(data[i:end])
		switch {
		case rw.blk != nil:
			if isEndMarker(line) {
				if i > 0 {
					return i, start, nil
				}
				rw.blk, start.blk = nil, nil
			}
		case rw.inOtherCopy:
			rw.inOtherCopy = !isEndMarker(line)
		default:
			if err := rw.statement(line); err != nil {
				return 0, nil, err
			}
			if rw.blk != nil {
				rw.line++
				return end, start, nil // the header ends a pass-through chunk
			}
		}
		i = end
		rw.line++
	}
	if i == 0 {
		return 0, nil, nil
	}
	return i, start, nil
}

// statement follows one line outside COPY data.
func (rw *rewriter) statement(line []byte) error {
	if rw.stmt != nil {
		if len(line) > 0 && !hasPrefixFold(line, "COPY ") {
			rw.stmt = append(append(rw.stmt, line...), '\n')
			rw.endStatement(line)
			return nil
		}
		// pg_dump never puts an empty line or a COPY inside a constraint
		// statement: what was buffered was something else.
		rw.stmt = nil
	}
	switch {
	case hasPrefixFold(line, "COPY "):
		return rw.copyHeader(line)
	case hasPrefixFold(line, "CREATE DATABASE "):
		rw.ctype, rw.provider, _ = parseCreateDatabase(line)
	case hasPrefixFold(line, "SET "):
		name, value, ok := parseSet(line)
		switch {
		case !ok:
		case name == "client_encoding":
			rw.encoding = strings.ToUpper(value)
			rw.lower, rw.encErr = newLowerer(value, rw.opt.ASCII)
		case name == "search_path":
			rw.searchPath = value
		}
	case isUniqueStart(line):
		rw.stmt = append(append([]byte{}, line...), '\n')
		rw.stmtLine = rw.line
		rw.endStatement(line)
	}
	return nil
}

// endStatement parses the buffered statement once a line ends it with ";".
func (rw *rewriter) endStatement(line []byte) {
	if len(rw.stmt) > maxStatement {
		rw.stmt = nil
		return
	}
	if !bytes.HasSuffix(bytes.TrimRight(line, " \t"), []byte(";")) {
		return
	}
	if u, ok := parseUnique(rw.stmt); ok {
		if u.schema == "" {
			u.schema = rw.searchPath
		}
		u.line = rw.stmtLine
		rw.uniques = append(rw.uniques, u)
	}
	rw.stmt = nil
}

// copyHeader starts a COPY block: a target one, or one whose data passes.
func (rw *rewriter) copyHeader(line []byte) error {
	h, ok := parseCopyHeader(line)
	if !ok {
		// Not a COPY ... FROM stdin; we rewrite, but its data still follows.
		rw.inOtherCopy = bytes.HasSuffix(bytes.ToLower(line), []byte("stdin;"))
		return nil
	}
	if h.schema == "" {
		h.schema = rw.searchPath
	}
	for _, t := range rw.targets {
		if !strings.EqualFold(h.schema, t.Schema) || !strings.EqualFold(h.table, t.Table) {
			continue
		}
		col := -1
		for i, c := range h.columns {
			if strings.EqualFold(c, t.Column) {
				if col >= 0 {
					return &transform.LineError{Line: rw.line, Err: fmt.Errorf("COPY %s.%s names two columns %s", h.schema, h.table, t.Column)}
				}
				col = i
			}
		}
		if col < 0 {
			break // the table without the column: its data passes
		}
		if rw.encErr != nil {
			return &transform.LineError{Line: rw.line, Err: rw.encErr}
		}
		rw.blk = &block{
			TableReport: TableReport{Target: t, Schema: h.schema, Table: h.table, Column: h.columns[col], Line: rw.line},
			col:         col, columns: h.columns, lower: rw.lower, seen: map[uint64]uint8{},
		}
		rw.blocks = append(rw.blocks, rw.blk)
		return nil
	}
	rw.inOtherCopy = true
	return nil
}

// process lowercases the target field of every row of a target chunk. It
// runs concurrently and touches nothing but its chunk.
func (rw *rewriter) process(_ context.Context, c transform.Chunk, dst []byte) (transform.Result, error) {
	st, _ := c.State.(chunkState)
	data := c.Data
	lines := int64(bytes.Count(data, []byte("\n")))
	if st.blk == nil {
		return transform.Result{Lines: lines}, nil
	}
	b := st.blk
	out := dst
	last := 0
	cr := chunkRows{blk: b, rows: make([]rowRef, 0, lines+1)}
	var dec, low []byte
	for i, n := 0, int64(1); i < len(data); n++ {
		end := len(data)
		if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
			end = i + j + 1
		}
		row := trimEOL(data[i:end])
		fs, fe, nf := fieldSpan(row, b.col)
		if nf != len(b.columns) {
			return transform.Result{}, &transform.LineError{Line: n, Column: 1,
				Err: fmt.Errorf("COPY row of %s.%s has %d fields, the header (line %d) names %d columns", b.Schema, b.Table, nf, b.Line, len(b.columns))}
		}
		cr.nrows++
		var null bool
		if dec, null = DecodeField(dec[:0], row[fs:fe]); !null {
			low = b.lower.lower(low[:0], dec)
			if !bytes.Equal(low, dec) {
				out = append(out, data[last:i+fs]...)
				out = EncodeField(out, low)
				last = i + fe
				cr.changed = append(cr.changed, int32(len(cr.rows)))
			}
			cr.rows = append(cr.rows, rowRef{hash: maphash.Bytes(rw.seed, low), line: st.line + n - 1, start: i, end: i + len(row)})
		}
		i = end
	}
	cr.data = bytes.Clone(data)
	res := transform.Result{Lines: lines, Value: cr}
	if len(cr.changed) > 0 {
		res.Out = append(out, data[last:]...)
	}
	return res, nil
}

// fieldSpan returns the byte span of field col of a COPY text row and the
// number of fields. Tabs inside values are always escaped (\t), so a raw tab
// separates fields.
func fieldSpan(row []byte, col int) (start, end, n int) {
	start, end = -1, -1
	pos := 0
	for n = 0; ; n++ {
		j := bytes.IndexByte(row[pos:], '\t')
		fieldEnd := len(row)
		if j >= 0 {
			fieldEnd = pos + j
		}
		if n == col {
			start, end = pos, fieldEnd
		}
		if j < 0 {
			if start < 0 {
				start, end = 0, 0
			}
			return start, end, n + 1
		}
		pos = fieldEnd + 1
	}
}

// collect counts, samples and keeps the rows for the collision check, in
// input order.
func (rw *rewriter) collect(_ transform.ChunkInfo, v any) error {
	cr, ok := v.(chunkRows)
	if !ok {
		return nil
	}
	b := cr.blk
	b.Rows += cr.nrows
	rw.rows += cr.nrows
	b.Changed += int64(len(cr.changed))
	rw.changed += int64(len(cr.changed))
	for _, k := range cr.changed {
		if len(rw.sampled) >= rw.sample {
			break
		}
		r := cr.rows[k]
		old, _ := DecodeField(nil, b.field(cr.data[r.start:r.end]))
		rw.sampled = append(rw.sampled, Change{Line: r.line, Old: b.lower.toUTF8(old), New: b.lower.toUTF8(b.lower.lower(nil, old))})
	}
	if len(cr.rows) == 0 {
		return nil
	}
	cr.changed = nil
	b.parts = append(b.parts, cr)
	for _, r := range cr.rows {
		if b.seen[r.hash] < 2 {
			b.seen[r.hash]++
		}
	}
	return nil
}

// field returns the target field of a row.
func (b *block) field(row []byte) []byte {
	fs, fe, _ := fieldSpan(row, b.col)
	return row[fs:fe]
}

// collisions checks every unique definition of the dump whose key includes
// a target column over the lowercased values. Expression elements cannot be
// evaluated offline and are taken as equal (which may report a collision the
// database would accept, never miss one); partial indexes are checked as if
// they covered every row.
func (rw *rewriter) collisions() []Collision {
	var out []Collision
	for _, b := range rw.blocks {
		for _, u := range rw.uniques {
			if u.schema != b.Schema || u.table != b.Table {
				continue
			}
			keyIdx := make([]int, len(u.columns))
			involved := false
			for k, c := range u.columns {
				keyIdx[k] = -1
				for i, hc := range b.columns {
					if c != "" && c == hc {
						keyIdx[k] = i
					}
				}
				involved = involved || keyIdx[k] == b.col
			}
			if involved {
				out = append(out, b.collisionsOf(u, keyIdx)...)
			}
		}
	}
	return out
}

func (b *block) collisionsOf(u uniqueDef, keyIdx []int) []Collision {
	// Only rows whose lowercased value shares its hash with another row can
	// collide; group those by hash, in file order.
	byHash := map[uint64][]candidate{}
	var hashes []uint64
	for _, p := range b.parts {
		for _, r := range p.rows {
			if b.seen[r.hash] < 2 {
				continue
			}
			if _, ok := byHash[r.hash]; !ok {
				hashes = append(hashes, r.hash)
			}
			byHash[r.hash] = append(byHash[r.hash], candidate{line: r.line, row: p.data[r.start:r.end]})
		}
	}
	var out []Collision
	for _, h := range hashes {
		out = append(out, b.collisionsIn(u, keyIdx, byHash[h])...)
	}
	return out
}

// candidate is a row that may collide.
type candidate struct {
	line int64
	row  []byte
}

// collisionsIn groups rows (candidates: same hash) by their key after
// lowercasing and returns the groups with more than one row.
func (b *block) collisionsIn(u uniqueDef, keyIdx []int, refs []candidate) []Collision {
	type member struct {
		line  int64
		value string
		key   []string
	}
	groups := map[string][]member{}
	var order []string
	for _, ref := range refs {
		fields := bytes.Split(ref.row, []byte("\t"))
		old, _ := DecodeField(nil, fields[b.col])
		m := member{line: ref.line, value: b.lower.toUTF8(old)}
		var id strings.Builder
		skip := false
		for k, idx := range keyIdx {
			var v string
			switch {
			case idx == b.col:
				v = string(b.lower.lower(nil, old))
			case idx < 0:
				v = u.exprs[k] // not evaluated: taken as equal
			default:
				d, null := DecodeField(nil, fields[idx])
				v = string(d)
				if null {
					skip = skip || !u.nullsEqual
					v = "NULL"
				}
			}
			m.key = append(m.key, b.lower.toUTF8([]byte(v)))
			fmt.Fprintf(&id, "%d:%s", len(v), v)
		}
		if skip {
			continue
		}
		if _, ok := groups[id.String()]; !ok {
			order = append(order, id.String())
		}
		groups[id.String()] = append(groups[id.String()], m)
	}
	var out []Collision
	for _, id := range order {
		ms := groups[id]
		if len(ms) < 2 {
			continue
		}
		c := Collision{Table: b.Schema + "." + b.Table, Constraint: u.name, ConstraintLine: u.line, Key: ms[0].key}
		for k, col := range u.columns {
			if col == "" {
				col = u.exprs[k]
			}
			c.Columns = append(c.Columns, col)
		}
		for _, m := range ms {
			c.Values = append(c.Values, m.value)
			c.Lines = append(c.Lines, m.line)
		}
		out = append(out, c)
	}
	return out
}
