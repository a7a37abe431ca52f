// Package infotoolgen writes realistic infotool data exports of any size for
// tests and benchmarks: journal exports ([WriteJournal]) and full exports
// ([WriteFullExport]). The output is deterministic for a seed: cp1252 text
// with umlauts, raw and as \xHH escapes (or the same text as UTF-8 or
// UTF-16LE with BOM), CRLF line ends (optionally some LF), comment and blank
// lines, multi-valued fields, binary BODY fields (some longer than 64 KiB)
// and every CONTENTTYPE case of the V5-to-V7 fix.
package infotoolgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"unicode/utf16"

	"github.com/xdm-migrate/xdm/parsers/infotool"
)

// Options control the generated file. The zero value writes about 1 MiB with
// seed 1 and CRLF line ends.
type Options struct {
	// Size is the approximate number of bytes to write; generation stops after
	// the record that reaches it. 0 means 1 MiB. Ignored when Records > 0.
	Size int64
	// Records, if > 0, is the exact number of records to write.
	Records int
	// Seed selects the pseudo-random sequence; 0 means 1.
	Seed uint64
	// MixedLineEnds makes about one line in eight end in LF instead of CRLF.
	MixedLineEnds bool
	// Encoding of the file: infotool.CP1252 (the zero value), or UTF8 or
	// UTF16LE, each written with its BOM.
	Encoding infotool.Encoding
	// MaxBinary is the largest binary BODY in bytes before hex encoding
	// (the line is twice as long). 0 means 48 KiB, so some lines exceed
	// 64 KiB; negative means no BODY fields.
	MaxBinary int
	// Headers writes JOURNAL records of nine short lines each (about 17
	// bytes with the CRLF): the header, MSGID, SENDER, RECIPIENT, CREATED,
	// CONTENTTYPE, FOLDER, DURATION and a blank line; no BODY, SUBJECT or
	// comment. This is the shape of a real journal export of voice messages,
	// whose bodies are stored elsewhere, and the worst case for per-line cost.
	Headers bool
}

// Stats describe what was written, so tests can check a tool against it.
type Stats struct {
	// Bytes is the size of the file written.
	Bytes   int64
	Records int
	// Journal is the number of [JOURNAL] records.
	Journal int
	// NeedFix is the number of [JOURNAL] records whose CONTENTTYPE the
	// V5-to-V7 fix sets to 1092 (4352, or 500..599 with blanks or leading
	// zeros).
	NeedFix int
	// ContentTypes counts the CONTENTTYPE values of JOURNAL records as written
	// (blanks included).
	ContentTypes map[string]int
}

// contentTypes are the CONTENTTYPE values written, each with whether the fix
// applies. They cover the boundaries (499, 500, 599, 600), leading zeros and
// blanks around the number.
var contentTypes = []struct {
	value string
	fix   bool
}{
	{"4352", true}, {"500", true}, {"599", true}, {"550", true}, {"0500", true},
	{" 4352 ", true}, {"\t512\t", true}, {"00000599", true},
	{"499", false}, {"600", false}, {"1092", false}, {"1", false}, {"4353", false},
	{"0", false}, {" 600", false}, {"43520", false},
}

var (
	firstNames = []string{"Hans", "J\xfcrgen", "J\xf6rg", "B\xe4rbel", "Ute", "Klaus", "Ren\xe9", "Fran\xe7oise", "Stefan", "G\xfcl"}
	lastNames  = []string{"M\xfcller", "Schr\xf6der", "B\xe4cker", "Wei\xdf", "Gro\xdfmann", "Schmidt", "K\xf6hler", "Meier", "D\xfcrr", "Hoffmann"}
	subjects   = []string{
		"Voice message from %s",
		"Fax von %s (3 Seiten)",
		"R\xfcckruf erbeten: %s",
		"Gr\xfc\xdfe aus M\xfcnchen, %s",
		"Termin\xe4nderung \x96 %s",
		"Invoice \x80 1.250,00 for %s",
		"Note: CONTENTTYPE=4352 is a value, not a field (%s)",
	}
	folders = []string{"INBOX", "Sent", "Deleted", "Archiv/2019", "Voicemail"}
)

type gen struct {
	w     *bufio.Writer
	out   *countingWriter
	size  int64 // cp1252 bytes generated, for Options.Size
	rnd   *rand.Rand
	opts  Options
	stats Stats
	line  int
	err   error
}

func newGen(w io.Writer, opts Options) *gen {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Size == 0 {
		opts.Size = 1 << 20
	}
	if opts.MaxBinary == 0 {
		opts.MaxBinary = 48 << 10
	}
	out := &countingWriter{w: w, enc: opts.Encoding}
	g := &gen{
		w:     bufio.NewWriterSize(out, 256<<10),
		out:   out,
		rnd:   rand.New(rand.NewPCG(opts.Seed, 0x58444d)),
		opts:  opts,
		stats: Stats{ContentTypes: map[string]int{}},
	}
	g.err = out.bom()
	return g
}

// more reports whether another record should be written.
func (g *gen) more() bool {
	if g.err != nil {
		return false
	}
	if g.opts.Records > 0 {
		return g.stats.Records < g.opts.Records
	}
	return g.size < g.opts.Size
}

func (g *gen) write(s string) {
	if g.err != nil {
		return
	}
	n, err := g.w.WriteString(s)
	g.size += int64(n)
	g.err = err
}

// ln writes one line with its terminator.
func (g *gen) ln(s string) {
	g.write(s)
	g.line++
	if g.opts.MixedLineEnds && g.rnd.IntN(8) == 0 {
		g.write("\n")
	} else {
		g.write("\r\n")
	}
}

func (g *gen) finish() (Stats, error) {
	if g.err == nil {
		g.err = g.w.Flush()
	}
	g.stats.Bytes = g.out.n
	return g.stats, g.err
}

func (g *gen) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

func (g *gen) person() string { return g.pick(firstNames) + " " + g.pick(lastNames) }

// escape writes some non-ASCII bytes as \xHH escapes, as infotool does for
// text it cannot store plainly, and escapes backslashes. In a UTF-8 file a
// \xHH would stand for a single byte, so non-ASCII text stays plain there.
func (g *gen) escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c >= 0x80 && g.opts.Encoding != infotool.UTF8 && g.rnd.IntN(3) == 0:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// header writes one short [JOURNAL] record (Options.Headers).
func (g *gen) header(seq int) {
	g.stats.Records++
	g.stats.Journal++
	g.ln("[JOURNAL]")
	g.ln(fmt.Sprintf("MSGID=%08X-%02X", 0x1A2F3+seq, g.rnd.IntN(256)))
	g.ln(fmt.Sprintf("SENDER=+4989%04d%03d", 7000+g.rnd.IntN(1000), g.rnd.IntN(1000)))
	g.ln("RECIPIENT=" + g.pick([]string{"mueller", "hr-office", "schroeder", "support", "zentrale"}))
	g.ln(fmt.Sprintf("CREATED=20%02d-%02d-%02d %02d:%02d:%02d", 15+g.rnd.IntN(10), 1+g.rnd.IntN(12), 1+g.rnd.IntN(28), g.rnd.IntN(24), g.rnd.IntN(60), g.rnd.IntN(60)))
	ct := contentTypes[g.rnd.IntN(len(contentTypes))]
	g.ln("CONTENTTYPE=" + ct.value)
	g.stats.ContentTypes[ct.value]++
	if ct.fix {
		g.stats.NeedFix++
	}
	g.ln("FOLDER=" + g.pick(folders))
	g.ln(fmt.Sprintf("DURATION=%d", g.rnd.IntN(600)))
	g.ln("")
}

// journal writes one [JOURNAL] record.
func (g *gen) journal(seq int) {
	if g.opts.Headers {
		g.header(seq)
		return
	}
	g.stats.Records++
	g.stats.Journal++
	g.ln("[JOURNAL]")
	g.ln(fmt.Sprintf("MSGID=%08X-%02X", 0x1A2F3+seq, g.rnd.IntN(256)))
	g.ln(fmt.Sprintf("SENDER=+49 89 %04d %03d", 7000+g.rnd.IntN(1000), g.rnd.IntN(1000)))
	for n := 1 + g.rnd.IntN(3); n > 0; n-- {
		g.ln("RECIPIENT=" + strings.ToLower(g.pick([]string{"mueller", "hr-office", "schroeder", "support", "zentrale"})))
	}
	g.ln("SUBJECT=" + g.escape(fmt.Sprintf(g.pick(subjects), g.person())))
	g.ln(fmt.Sprintf("CREATED=20%02d-%02d-%02d %02d:%02d:%02d", 15+g.rnd.IntN(10), 1+g.rnd.IntN(12), 1+g.rnd.IntN(28), g.rnd.IntN(24), g.rnd.IntN(60), g.rnd.IntN(60)))
	if g.rnd.IntN(6) == 0 {
		g.ln("; CONTENTTYPE=4352 in a comment is no field")
	}
	ct := contentTypes[g.rnd.IntN(len(contentTypes))]
	name := "CONTENTTYPE"
	switch g.rnd.IntN(10) {
	case 0:
		name = "contenttype"
	case 1:
		name = "ContentType"
	}
	g.ln(name + "=" + ct.value)
	g.stats.ContentTypes[ct.value]++
	if ct.fix {
		g.stats.NeedFix++
	}
	g.ln("FOLDER=" + g.pick(folders))
	g.ln(fmt.Sprintf("DURATION=%d", g.rnd.IntN(600)))
	if g.rnd.IntN(4) == 0 {
		g.ln(`NOTE=line one\r\nline two\tcolumn\\end`)
	}
	if g.opts.MaxBinary > 0 && g.rnd.IntN(3) == 0 {
		g.body()
	}
	g.ln("")
}

// body writes a BODY=0x... field; one in 40 is near MaxBinary bytes.
func (g *gen) body() {
	n := 16 + g.rnd.IntN(2048)
	if g.rnd.IntN(40) == 0 {
		n = g.opts.MaxBinary/2 + g.rnd.IntN(g.opts.MaxBinary/2+1)
	}
	const hexdigits = "0123456789ABCDEF"
	buf := make([]byte, 0, 2*n+7)
	buf = append(buf, "BODY=0x"...)
	// A RIFF/WAVE header, then noise.
	for i, c := range []byte("RIFF\x24\x00\x00\x00WAVEfmt ") {
		if i >= n {
			break
		}
		buf = append(buf, hexdigits[c>>4], hexdigits[c&15])
	}
	for i := 16; i < n; i++ {
		c := byte(g.rnd.Uint32())
		buf = append(buf, hexdigits[c>>4], hexdigits[c&15])
	}
	g.ln(string(buf))
}

// WriteJournal writes a journal export (`infotool export rec=JOURNAL`): only
// [JOURNAL] records.
func WriteJournal(w io.Writer, opts Options) (Stats, error) {
	g := newGen(w, opts)
	g.ln("; infotool export rec=JOURNAL")
	g.ln("; DATABASE JOURNAL")
	g.ln("")
	for seq := 0; g.more(); seq++ {
		g.journal(seq)
	}
	return g.finish()
}

// WriteFullExport writes a full export (`infotool fullexport`): a
// "; DATABASE CORRELATION" group of USER, GROUP and PROFILE records (some
// with a CONTENTTYPE field the fix must leave alone), then a
// "; DATABASE JOURNAL" group of JOURNAL records; about a quarter of the
// records are correlation records.
func WriteFullExport(w io.Writer, opts Options) (Stats, error) {
	g := newGen(w, opts)
	g.ln("; infotool fullexport")
	g.ln("; DATABASE CORRELATION")
	total := opts.Records
	for seq := 0; g.more() && (total == 0 || g.stats.Records < (total+3)/4); seq++ {
		if total == 0 && g.size >= g.opts.Size/4 {
			break
		}
		g.correlation(seq)
	}
	g.ln("; DATABASE JOURNAL")
	for seq := 0; g.more(); seq++ {
		g.journal(seq)
	}
	return g.finish()
}

// correlation writes one USER, GROUP or PROFILE record.
func (g *gen) correlation(seq int) {
	g.stats.Records++
	switch seq % 3 {
	case 0:
		first, last := g.pick(firstNames), g.pick(lastNames)
		g.ln(fmt.Sprintf("[USER:user%05d]", seq))
		g.ln("NAME=" + g.escape(first+" "+last))
		g.ln(fmt.Sprintf("PHONE=+49 89 7007 %03d", seq%1000))
		g.ln(fmt.Sprintf("EMAIL=user%05d@example.com", seq))
		g.ln("GROUP=hr-office")
		g.ln("GROUP=support")
		g.ln("CONTENTTYPE=4352")
	case 1:
		g.ln(fmt.Sprintf("[GROUP:group%04d]", seq))
		g.ln("NAME=" + g.escape("Abteilung "+g.pick(lastNames)))
		g.ln(fmt.Sprintf("MEMBERS=%d", 2+g.rnd.IntN(40)))
	default:
		g.ln(fmt.Sprintf("[PROFILE:p%d]", seq))
		g.ln(`GREETING=C:\\XPR\\greetings\\default.wav`)
		g.ln("CONTENTTYPE=550")
		g.ln("PIN=0x" + fmt.Sprintf("%08X", g.rnd.Uint32()))
	}
	g.ln("")
}

// countingWriter converts the generated cp1252 text to the file's encoding
// and counts the bytes written.
type countingWriter struct {
	w   io.Writer
	enc infotool.Encoding
	n   int64
	buf []byte
}

func (c *countingWriter) bom() error { return c.put(c.enc.BOM()) }

func (c *countingWriter) Write(p []byte) (int, error) {
	switch c.enc {
	case infotool.UTF8:
		return len(p), c.put(infotool.DecodeText(p, infotool.CP1252))
	case infotool.UTF16LE:
		c.buf = c.buf[:0]
		for _, r := range string(infotool.DecodeText(p, infotool.CP1252)) {
			for _, u := range utf16.Encode([]rune{r}) {
				c.buf = append(c.buf, byte(u), byte(u>>8))
			}
		}
		return len(p), c.put(c.buf)
	}
	return len(p), c.put(p)
}

func (c *countingWriter) put(b []byte) error {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return err
}
