package pgdump

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/transform"
)

// The parallel half of the rewrite: the engine's ProcessFunc lowercases the
// target field of every row of a chunk of target data, and Collect counts,
// samples and keeps the rows for the collision check, in input order.

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
	parts []*chunkRows
	seen  map[uint64]uint8 // rows per hash, saturating at 2
}

// rowRef is a data row kept for the collision check.
type rowRef struct {
	hash       uint64 // of the lowercased value
	line       int64
	start, end int // the row (without line terminator) in its chunk
}

// chunkRows is Process's value for a chunk of target rows: the chunk's
// bytes (as read), its non-NULL rows, and its changes. Chunks that pass
// through have none (nil).
type chunkRows struct {
	blk     *block
	data    []byte
	rows    []rowRef
	nrows   int64
	changed []int32 // indexes into rows
}

// process lowercases the target field of every row of a target chunk. It
// runs concurrently and touches nothing but its chunk.
func (rw *rewriter) process(_ context.Context, c transform.Chunk[chunkState], dst []byte) (transform.Result[*chunkRows], error) {
	data := c.Data
	lines := int64(bytes.Count(data, []byte("\n")))
	b := c.State.blk
	if b == nil {
		return transform.Result[*chunkRows]{Lines: lines}, nil
	}
	out := dst
	last := 0
	cr := &chunkRows{blk: b, rows: make([]rowRef, 0, lines+1)}
	var dec, low []byte
	for i, n := 0, int64(1); i < len(data); n++ {
		end := len(data)
		if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
			end = i + j + 1
		}
		row := trimEOL(data[i:end])
		fs, fe, nf := fieldSpan(row, b.col)
		if nf != len(b.columns) {
			return transform.Result[*chunkRows]{}, &position.Error{Line: n, Column: 1, Offset: int64(i),
				Err: fmt.Errorf("%w: a row of %s.%s has %s, the header (line %d) names %s", ErrFormat, b.Schema, b.Table, plural.Count(nf, "field"), b.Line, plural.Count(len(b.columns), "column"))}
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
			cr.rows = append(cr.rows, rowRef{hash: maphash.Bytes(rw.seed, low), line: c.State.line + n - 1, start: i, end: i + len(row)})
		}
		i = end
	}
	cr.data = bytes.Clone(data)
	res := transform.Result[*chunkRows]{Lines: lines, Value: cr}
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
func (rw *rewriter) collect(_ transform.ChunkInfo, cr *chunkRows) error {
	if cr == nil {
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
