package sqlcmdcompat

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// TestDoubleByteCodePages: a script saved in a double-byte code page, read
// by xdm with -f 932 (936, 949, 950), splits into the batches go-sqlcmd
// makes of the same text in UTF-8 (go-sqlcmd v1.10.0 has no -f). The text
// holds characters whose trail byte is ASCII: "表" and "ソ" (95 5C, 83 5C in
// 932: '\'), "ー" (81 5B: '['), "許" (B3 5C in 950); a splitter that read the
// raw bytes would take them for a backslash or an open bracket identifier
// and miss the GO after it.
func TestDoubleByteCodePages(t *testing.T) {
	o := newOracle(t)
	dir := t.TempDir()
	pages := []struct {
		cp   int
		enc  encoding.Encoding
		word string
	}{
		{932, japanese.ShiftJIS, "テーブル表ソ"},
		{936, simplifiedchinese.GBK, "数据库"},
		{949, korean.EUCKR, "데이터베이스똠"},
		{950, traditionalchinese.Big5, "資料庫許"},
	}
	for _, p := range pages {
		text := "-- " + p.word + "\r\nINSERT INTO t VALUES (N'" + p.word + "')\r\nGO\r\n" +
			"SELECT N'" + p.word + "' AS [" + p.word + "]\r\n" + p.word + "\r\nGO 2\r\n" +
			"/* " + p.word + " */ SELECT 3\r\n"
		raw, err := p.enc.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(raw, "\\") && p.cp != 936 && p.cp != 949 {
			t.Fatalf("%d: no trail byte 0x5C in % X", p.cp, raw)
		}
		rawPath := filepath.Join(dir, strconv.Itoa(p.cp)+".sql")
		utf8Path := filepath.Join(dir, strconv.Itoa(p.cp)+".utf8.sql")
		os.WriteFile(rawPath, []byte(raw), 0o644)
		os.WriteFile(utf8Path, []byte(text), 0o644)
		xe, xerrs := xdmIn(t, o, rawPath, p.cp)
		se := o.run(t, utf8Path)
		xo, so := summarize(xe, true), summarize(se, false)
		if len(xerrs) > 0 || so.errors > 0 || len(xo.batches) != 4 ||
			strings.Join(xo.batches, "|") != strings.Join(so.batches, "|") {
			t.Errorf("%d: xdm %q (%v), go-sqlcmd %q (%s)", p.cp, xo.batches, xerrs, so.batches, firstErr(se))
		}
	}
}
