package journal

import (
	"bytes"
	"math/bits"
)

// The bulk check reads the text in blocks of 64 bytes. For each block it
// takes a bitmap per kind of byte (bit k for the block's byte k: a line
// feed, a letter, ...), and finds with a few operations on these words the
// lines that are not plain fields: every line of a valid journal is one of
// them or a blank line, so the bulk check has no work per line, only per
// block and per line it must look at (an "event": a record header, a
// CONTENTTYPE field, an escape, anything that may be wrong). Each event line
// then goes through common or line, in order, with the record state they
// keep. On a journal of header records that is 2 lines in 9.

// blockBits are the bitmaps of one 64-byte block: bit k for byte k. The
// assembly version of classifyBlock writes the fields in this order.
type blockBits struct {
	nl, cr, eq uint64 // '\n', '\r', '='
	letter     uint64 // ASCII letters
	name       uint64 // ASCII letters, digits and '_' (nameChar)
	x          uint64 // 'x', for the "0x" of a binary value
}

// bulkRoom is what the bulk check leaves at the end of the text: a block
// reads a byte beyond itself, and common reads up to 17 bytes beyond the
// start of an event line.
const bulkRoom = 64

// bulk checks, as line would, the lines of text from pos (a line start,
// after the first record header) that end before the last bulkRoom bytes
// of the text, from the first 64-byte block on that holds a line end. It
// returns where the first line it did not check starts: pos when no line ends
// in reach (a line longer than the rest, which line reads, or the end).
func (s *lineScan) bulk(pos int) int {
	text := s.text
	blocks := (len(text) - bulkRoom - pos) / 64
	if blocks <= 0 {
		return pos
	}
	stop := pos + bytes.LastIndexByte(text[pos:pos+64*blocks], '\n') + 1
	if stop == pos {
		return pos
	}
	var (
		bb      blockBits
		carry   uint64            // of the name runs into the next block
		prev    blockBits         // the block before: bits 63 and above of its shifts
		prevS   uint64            // the line starts of the block before
		nl0     = uint64(1) << 63 // pos starts a line: as after a '\n' in bit 63
		lines   int64             // line feeds in the blocks before
		crlfs   int64             // CRLF pairs in the blocks before
		start   = pos             // the last line start before the block
		done    = pos             // where the lines not yet handled start
		lineNo0 = s.lineNo        // lines begun before pos
		crlf0   = s.cs.crlf       // the line endings before pos
		lf0     = s.cs.lf         // (line counts its own: overwritten at the end)
		blk     *[64]byte         // the block
	)
	prev.nl = nl0
	for i := pos; i < stop; i += 64 {
		blk = (*[64]byte)(text[i : i+64])
		classifyBlock(blk, &bb)
		if stop-i < 64 { // the last block: nothing from stop on
			keep := uint64(1)<<(stop-i) - 1
			bb.nl &= keep
			bb.cr &= keep
		}
		starts := bb.nl<<1 | prev.nl>>63
		// A line that starts with a letter is a field: the letter begins a
		// run of name characters that must end at an '='. Adding the start
		// to the run carries through it onto the byte after it.
		sum, c := bits.Add64(bb.name, starts&bb.letter, carry)
		carry = c
		events := sum &^ bb.name &^ bb.eq
		// Any other line but a blank one.
		events |= starts &^ (bb.letter | bb.nl | bb.cr)
		// A '\r' not before a '\n' (a blank line is "\r\n").
		next := uint64(0)
		if text[i+64] == '\n' {
			next = 1 << 63
		}
		events |= bb.cr &^ (bb.nl>>1 | next)
		// An '=' 11 bytes after a line start: perhaps CONTENTTYPE.
		events |= bb.eq & (starts<<11 | prevS>>53)
		// An escape (the chunk's backslashes are found by bytes.IndexByte:
		// they are rare); "0x" after an '=': perhaps a binary value, whose
		// length is checked.
		if b := s.backslash - i; b >= 0 && b < 64 {
			events |= 1 << b
		}
		for xs := bb.x; xs != 0; xs &= xs - 1 {
			if p := i + bits.TrailingZeros64(xs); p >= 2 && text[p-1] == '0' && text[p-2] == '=' {
				events |= 1 << (p - i)
			}
		}
		inReach := below(stop - i)
		for events &= inReach &^ below(done-i); events != 0; events &= inReach &^ below(done-i) {
			p := i + bits.TrailingZeros64(events)
			// The event's line starts at the last line start at or before p.
			ls := start
			if m := starts & below(p-i+1); m != 0 {
				ls = i + 63 - bits.LeadingZeros64(m)
			}
			var nl int // the event line's end, before stop
			if m := bb.nl >> (p - i); m != 0 {
				nl = p + bits.TrailingZeros64(m)
			} else {
				nl = p + bytes.IndexByte(text[p:], '\n')
			}
			end := nl
			if nl > ls && text[nl-1] == '\r' {
				end--
			}
			if s.backslash <= nl || !s.common(ls, end) {
				s.lineNo = lineNo0 + lines + int64(bits.OnesCount64(bb.nl&below(ls-i)))
				if s.line(ls); s.err != nil {
					// As the general path, count the line endings up to here.
					s.cs.crlf = crlf0 + int64(bytes.Count(text[pos:nl+1], []byte("\r\n")))
					s.cs.lf = lf0 + int64(bytes.Count(text[pos:nl+1], []byte("\n"))) - (s.cs.crlf - crlf0)
					return stop
				}
				if b := s.backslash - i; b >= 0 && b < 64 {
					events |= 1 << b
				}
			}
			done = nl + 1
		}
		if starts != 0 {
			start = i + 63 - bits.LeadingZeros64(starts)
		}
		lines += int64(bits.OnesCount64(bb.nl))
		crlfs += int64(bits.OnesCount64(bb.nl & (bb.cr<<1 | prev.cr>>63)))
		prev, prevS = bb, starts
		// (The test before the call keeps the common case, a block with a
		// line end and nothing read beyond it, from paying for a call.)
		if bb.nl == 0 || done > i+64 {
			k := s.skip(i, done, stop, carry, starts)
			if k > i+64 {
				// The blocks before k hold no line end and nothing to look
				// at: only the '\r' before k's first byte carries over.
				prev, prevS, carry = blockBits{}, 0, 0
				if text[k-1] == '\r' {
					prev.cr = 1 << 63
				}
				s.skipped += int64(k - i - 64)
				i = k - 64
			}
		}
	}
	s.lineNo = lineNo0 + lines
	s.cs.crlf = crlf0 + crlfs
	s.cs.lf = lf0 + lines - crlfs
	return stop
}

// skip returns the start of the block, after the block at i, that holds the
// end of the line running on past the block at i, when the blocks before it
// hold nothing the bulk check must look at; else it returns i+64. Those
// blocks have no line end, so their bitmaps could only mark the line they
// are in: skipping them saves the work per byte on long values (a BODY of
// many KiB), which bytes.IndexByte reads much faster. Either the line was
// read already (an event line: done is past its end), or it is a field that
// began before the block at i whose name ended in reach (no carry; its '=' and a "0x" after it are in the block or
// before; no CONTENTTYPE '=' due in the next block), and the rest of it has
// no escape and no '\r' but one before its line feed. bulk calls it only for
// a block without a line feed or inside a line read already (on a short line
// the search for its end would cost more than it saves), so the line does
// run on past the block.
func (s *lineScan) skip(i, done, stop int, carry, starts uint64) int {
	text := s.text
	if i+64 >= stop {
		return i + 64
	}
	if done > i+64 {
		return i + 64 + (done-1-i-64)/64*64
	}
	if carry != 0 || starts>>53 != 0 || text[i+64] == 'x' || text[i+65] == 'x' {
		return i + 64
	}
	nl := i + 64 + bytes.IndexByte(text[i+64:stop], '\n')
	k := i + 64 + (nl-i-64)/64*64
	if k == i+64 || s.backslash >= i+64 && s.backslash < k {
		return i + 64
	}
	crEnd := k
	if nl == k && text[k-1] == '\r' {
		crEnd-- // the '\r' of a CRLF across the blocks
	}
	if bytes.IndexByte(text[i+64:crEnd], '\r') >= 0 {
		return i + 64
	}
	return k
}

// below returns the bits below bit n: none for n <= 0, all for n >= 64.
func below(n int) uint64 {
	if n <= 0 {
		return 0
	}
	if n >= 64 {
		return ^uint64(0)
	}
	return uint64(1)<<n - 1
}
