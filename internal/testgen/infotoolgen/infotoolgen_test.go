package infotoolgen

import (
	"bytes"
	"crypto/sha256"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/infotool"
)

// needsFix is the CONTENTTYPE rule of the reference, written independently
// of the generator's table.
func needsFix(v string) bool {
	n, err := strconv.Atoi(strings.Trim(v, " \t"))
	return err == nil && (n == 4352 || n > 499 && n < 600)
}

func TestGeneratedFilesParse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(io.Writer, Options) (Stats, error)
		opts  Options
	}{
		{"journal", WriteJournal, Options{Size: 300 << 10, MixedLineEnds: true}},
		{"full", WriteFullExport, Options{Records: 400, Seed: 7, MaxBinary: 70 << 10}},
		{"utf8", WriteJournal, Options{Records: 200, Encoding: infotool.UTF8}},
		{"utf16", WriteFullExport, Options{Records: 200, Encoding: infotool.UTF16LE}},
		{"headers", WriteJournal, Options{Records: 500, Headers: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			st, err := tc.write(&buf, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if st.Bytes != int64(buf.Len()) {
				t.Errorf("Stats.Bytes %d, wrote %d", st.Bytes, buf.Len())
			}
			r := infotool.NewReader(bytes.NewReader(buf.Bytes()), tc.name)
			defer func() {
				if r.Encoding() != tc.opts.Encoding {
					t.Errorf("encoding %v, want %v", r.Encoding(), tc.opts.Encoding)
				}
			}()
			records, journal, fix, types := 0, 0, 0, map[string]bool{}
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				records++
				types[rec.Type] = true
				if rec.Type != "JOURNAL" {
					continue
				}
				journal++
				ct := rec.Values("contenttype")
				if len(ct) != 1 {
					t.Fatalf("record at line %d has %d CONTENTTYPE fields", rec.Line, len(ct))
				}
				if needsFix(string(ct[0])) {
					fix++
				}
			}
			if records != st.Records || journal != st.Journal || fix != st.NeedFix || fix == 0 || fix == journal {
				t.Errorf("read %d records, %d JOURNAL, %d to fix; stats say %+v", records, journal, fix, st)
			}
			if tc.opts.Records > 0 && records != tc.opts.Records {
				t.Errorf("%d records, asked for %d", records, tc.opts.Records)
			}
			if tc.opts.Size > 0 && (st.Bytes < tc.opts.Size || st.Bytes > tc.opts.Size+200<<10) {
				t.Errorf("%d bytes, asked for about %d", st.Bytes, tc.opts.Size)
			}
			if strings.HasPrefix(tc.name, "full") && !(types["USER"] && types["GROUP"] && types["PROFILE"]) {
				t.Errorf("full export types: %v", types)
			}
			if len(st.ContentTypes) < len(contentTypes)/2 {
				t.Errorf("only %d CONTENTTYPE cases", len(st.ContentTypes))
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	sum := func(seed uint64) [32]byte {
		var buf bytes.Buffer
		if _, err := WriteJournal(&buf, Options{Size: 100 << 10, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(buf.Bytes())
	}
	first, again := sum(3), sum(3)
	if first != again {
		t.Error("same seed, different output")
	}
	if first == sum(4) {
		t.Error("different seeds, same output")
	}
}

// TestHeaders: the header-only shape is nine short lines per record.
func TestHeaders(t *testing.T) {
	var buf bytes.Buffer
	st, err := WriteJournal(&buf, Options{Records: 1000, Headers: true})
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Count(buf.Bytes(), []byte("\n")) - 3 // the preamble's three lines
	if lines != 9*st.Records || bytes.Contains(buf.Bytes(), []byte("BODY=")) {
		t.Errorf("%d lines for %d records, want nine each and no BODY", lines, st.Records)
	}
	if avg := float64(buf.Len()) / float64(lines); avg < 15 || avg > 21 {
		t.Errorf("%.1f bytes per line, want about 17", avg)
	}
}
