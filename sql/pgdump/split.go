package pgdump

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/position"
)

// The sequential half of the rewrite: the engine's SplitFunc reads the dump
// line by line outside the target data, follows the statements that matter
// (SET, CREATE DATABASE, COPY headers, unique constraints) and cuts the
// input so that each chunk is all data rows of one target COPY block or text
// that passes through.

// chunkState is the engine's per-chunk state: every line of a chunk is a data
// row of blk, or (blk nil) passes through.
type chunkState struct {
	blk  *block
	line int64 // number of the chunk's first line
}

// split cuts the dump at line ends so that a chunk is either all data rows of
// one target COPY block or text that passes through, and follows the
// statements that matter on the way. It runs sequentially.
func (rw *rewriter) split(data []byte, atEOF bool) (int, chunkState, error) {
	n, st, err := rw.cut(data, atEOF)
	rw.offset += int64(n)
	return n, st, err
}

func (rw *rewriter) cut(data []byte, atEOF bool) (int, chunkState, error) {
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
			if err := rw.statement(line, rw.offset+int64(i)); err != nil {
				return 0, chunkState{}, err
			}
			if rw.blk != nil {
				rw.line++
				return end, start, nil // the header ends a pass-through chunk
			}
		}
		i = end
		rw.line++
	}
	return i, start, nil
}

// statement follows one line outside COPY data; offset is where it starts.
func (rw *rewriter) statement(line []byte, offset int64) error {
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
		return rw.copyHeader(line, offset)
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
func (rw *rewriter) copyHeader(line []byte, offset int64) error {
	h, ok := parseCopyHeader(line)
	if !ok {
		// Not a COPY ... FROM stdin; we rewrite, but its data still follows.
		rw.inOtherCopy = bytes.HasSuffix(bytes.ToLower(line), []byte("stdin;"))
		rw.copyLine = rw.line
		return nil
	}
	if h.schema == "" {
		h.schema = rw.searchPath
	}
	rw.copyLine = rw.line
	t, col, err := rw.target(h)
	switch {
	case err != nil:
		return &position.Error{Line: rw.line, Offset: offset, Err: err}
	case col < 0:
		rw.inOtherCopy = true
		return nil
	}
	rw.blk = &block{
		TableReport: TableReport{Target: t, Schema: h.schema, Table: h.table, Column: h.columns[col], Line: rw.line},
		col:         col, columns: h.columns, lower: rw.lower, seen: map[uint64]uint8{},
	}
	rw.blocks = append(rw.blocks, rw.blk)
	return nil
}

// target finds the target a COPY header is for and the index of its column;
// col is -1 when the header is for no target (or a target's table without
// the column: its data passes).
func (rw *rewriter) target(h copyHeader) (t Target, col int, err error) {
	for _, t := range rw.targets {
		if !strings.EqualFold(h.schema, t.Schema) || !strings.EqualFold(h.table, t.Table) {
			continue
		}
		col := -1
		for i, c := range h.columns {
			if strings.EqualFold(c, t.Column) {
				if col >= 0 {
					return t, -1, fmt.Errorf("%w: COPY %s.%s names two columns %s", ErrFormat, h.schema, h.table, t.Column)
				}
				col = i
			}
		}
		if col >= 0 && rw.encErr != nil {
			return t, -1, rw.encErr
		}
		return t, col, nil
	}
	return Target{}, -1, nil
}
