package pgdump

import (
	"bytes"
	"fmt"
	"strings"
)

// The collision check, at the end of the dump: a unique constraint or index
// that involves a target column must still hold over the lowercased values.

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

// member is a candidate row with its key after lowercasing.
type member struct {
	line  int64
	value string   // the target value as the dump has it, in UTF-8
	key   []string // the key's values after lowercasing, in UTF-8
	id    string   // the key's values, length-prefixed: equal ids collide
}

// collisionsIn groups rows (candidates: same hash) by their key after
// lowercasing and returns the groups with more than one row.
func (b *block) collisionsIn(u uniqueDef, keyIdx []int, refs []candidate) []Collision {
	groups := map[string][]member{}
	var order []string
	for _, ref := range refs {
		m, ok := b.member(u, keyIdx, ref)
		if !ok {
			continue
		}
		if _, seen := groups[m.id]; !seen {
			order = append(order, m.id)
		}
		groups[m.id] = append(groups[m.id], m)
	}
	var out []Collision
	for _, id := range order {
		if ms := groups[id]; len(ms) > 1 {
			out = append(out, u.collision(b, ms))
		}
	}
	return out
}

// member computes a row's key under u; ok is false when a NULL in the key
// exempts the row (NULLS DISTINCT, the default).
func (b *block) member(u uniqueDef, keyIdx []int, ref candidate) (m member, ok bool) {
	fields := bytes.Split(ref.row, []byte("\t"))
	old, _ := DecodeField(nil, fields[b.col])
	m = member{line: ref.line, value: b.lower.toUTF8(old)}
	var id strings.Builder
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
			if null && !u.nullsEqual {
				return m, false
			}
			if null {
				v = "NULL"
			}
		}
		m.key = append(m.key, b.lower.toUTF8([]byte(v)))
		fmt.Fprintf(&id, "%d:%s", len(v), v)
	}
	m.id = id.String()
	return m, true
}

// collision reports the rows ms of block b, which share a key of u.
func (u uniqueDef) collision(b *block, ms []member) Collision {
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
	return c
}
