package script

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"

	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/version"
)

// decodeAll reads b as sql/batch (and sqlcmd) does: by its byte order mark.
func decodeAll(t *testing.T, b []byte) (string, batch.Encoding) {
	t.Helper()
	r, enc, err := batch.Decode(bytes.NewReader(b), 0)
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(text), enc
}

// TestEncodings: the encoding changes the bytes, never the text.
func TestEncodings(t *testing.T) {
	for _, target := range goldenTargets {
		want, _ := scriptFor(t, target, nil)
		if !strings.Contains(want, "N'") || !strings.ContainsFunc(want, func(r rune) bool { return r > 0xFFFF }) {
			t.Fatal("the golden script lacks the non-ASCII text this test is about")
		}
		for _, enc := range []batch.Encoding{batch.UTF16LE, batch.UTF8BOM} {
			got, _ := scriptFor(t, target, func(o *Options) { o.Encoding = enc })
			if !strings.HasPrefix(got, string(enc.BOM)) {
				t.Errorf("%s, %s: starts with % X", targetName(target), enc.Name, got[:min(4, len(got))])
			}
			text, found := decodeAll(t, []byte(got))
			if found.Name != enc.Name {
				t.Errorf("%s: read back as %s", enc.Name, found.Name)
			}
			if text != want {
				t.Errorf("%s, %s: text differs from the UTF-8 script at byte %d", targetName(target), enc.Name, firstDiff(text, want))
			}
		}
	}
}

// TestSplitDirUTF16: every file of the split form, master.sql too, is
// UTF-16LE with BOM, and sql/batch follows the master's :r into them.
func TestSplitDirUTF16(t *testing.T) {
	whole, _ := scriptFor(t, version.SQL2014, nil)
	dir := t.TempDir()
	opts := Options{Target: version.SQL2014, CreateDatabase: true, Principals: true, RowsPerInsert: 2, BatchRows: 3, Encoding: batch.UTF16LE}
	rep := scriptDirChecked(t, dir, loadSnapshot(t, "xphone.in"), opts)
	var joined strings.Builder
	for i, fn := range rep.Files {
		b, err := os.ReadFile(filepath.Join(dir, fn))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
			t.Errorf("%s starts with % X", fn, b[:min(2, len(b))])
		}
		text, _ := decodeAll(t, b)
		if i == 0 {
			if !strings.Contains(text, ":r \""+rep.Files[1]+"\"\r\n") || strings.Contains(text, "sqlcmd -b -f") {
				t.Errorf("%s:\n%s", fn, text)
			}
			continue
		}
		joined.WriteString(text)
	}
	if joined.String() != whole {
		t.Errorf("split UTF-16 files differ from the single UTF-8 script at byte %d", firstDiff(joined.String(), whole))
	}
	t.Chdir(dir)
	rc, _, err := batch.OpenFile(MasterFile, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r := batch.NewReader(rc, batch.Options{Name: MasterFile})
	var sqlText strings.Builder
	for {
		it, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		sqlText.Write(it.SQL)
	}
	if !strings.Contains(sqlText.String(), "N'Jürgen Müller $'") {
		t.Error("batches read through master.sql lack the umlaut of the snapshot's users")
	}
}

// TestEncodingInvalidUTF8: text that is not UTF-8 (a library caller's
// snapshot or rows with Latin-1 bytes) is refused when converting, never
// written as U+FFFD; as UTF-8 it is copied as it is.
func TestEncodingInvalidUTF8(t *testing.T) {
	snap := genSnapshot()
	snap.Tables[0].Name = "Journ\xe4l"
	partial, err := scriptFails(t, context.Background(), snap, Options{Encoding: batch.UTF16LE})
	if !errors.Is(err, encoding.ErrInvalidUTF8) || !strings.Contains(err.Error(), "UTF-16LE") {
		t.Errorf("err %v, want ErrInvalidUTF8 naming UTF-16LE", err)
	}
	if bytes.Contains(partial, []byte{0xFD, 0xFF}) {
		t.Error("U+FFFD written")
	}
	if err := scriptDirFails(t, t.TempDir(), snap, Options{Encoding: batch.UTF16LE}); !errors.Is(err, encoding.ErrInvalidUTF8) {
		t.Errorf("ScriptDir: err %v, want ErrInvalidUTF8", err)
	}
	if out, _ := scriptChecked(t, snap, Options{}); !strings.Contains(out, "[Journ\xe4l]") {
		t.Error("UTF-8: the name is not copied as it is")
	}
}
