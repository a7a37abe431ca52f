package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const samples = "../../testdata/infotool/"

func TestInfotoolValidate(t *testing.T) {
	code, out, errOut := runCLI(t, "infotool", "validate", samples+"journal.txt", samples+"fullexport.txt", samples+"maskexport-v7.mdl", samples+"journal-utf16.txt")
	if code != ExitOK || errOut != "" {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"journal.txt: valid journal export, 7 records, cp1252",
		"fullexport.txt: valid full export, 7 records",
		"maskexport-v7.mdl: valid mask export, 3 masks, 17 fields",
		"journal-utf16.txt: valid journal export, 2 records, utf-16le",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

func TestInfotoolValidateErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{samples + "invalid-junk.txt"}, "invalid-junk.txt:2:1: unexpected \"this\", expected a record header"},
		{[]string{samples + "invalid-escape.txt"}, `invalid-escape.txt:3:11: invalid escape \X, expected`},
		{[]string{samples + "invalid-mask.mdl"}, "invalid-mask.mdl:3:24: unexpected \"KEY\", expected '('"},
		{[]string{"--kind", "journal", samples + "fullexport.txt"}, "fullexport.txt:4:2: record type USER in a journal export, expected [JOURNAL] records only"},
		{[]string{"--kind", "mask", samples + "journal.txt"}, "journal.txt:5:1: unexpected \"[\", expected MASK"},
	} {
		code, out, errOut := runCLI(t, append([]string{"infotool", "validate"}, tc.args...)...)
		if code != ExitInvalid || !strings.Contains(errOut, tc.want) || !strings.Contains(out, ": invalid") {
			t.Errorf("%v: code %d\nstdout %q\nstderr %q\nwant %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// TestInfotoolValidateGoesOnAfterUnreadable: a file that cannot be read is
// named and the files after it are still checked; the run ends with 4.
func TestInfotoolValidateGoesOnAfterUnreadable(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.txt")
	code, out, errOut := runCLI(t, "infotool", "validate", samples+"journal.txt", missing, samples+"invalid-escape.txt")
	want := samples + "journal.txt: valid journal export, 7 records, cp1252\n" +
		missing + ": not checked, it cannot be read\n" +
		samples + "invalid-escape.txt: invalid, 1 error\n"
	if code != ExitFailure || out != want || !strings.Contains(errOut, "no such file") || !strings.Contains(errOut, "invalid escape") {
		t.Errorf("code %d\nstdout %q\nstderr %q", code, out, errOut)
	}
}

// TestInfotoolValidateMaskLongComment: a mask export whose first line, a
// comment, is longer than 64 KiB is still told from a data export.
func TestInfotoolValidateMaskLongComment(t *testing.T) {
	p := filepath.Join(t.TempDir(), "maskexport.mdl")
	if err := os.WriteFile(p, []byte("; "+strings.Repeat("x", 100<<10)+"\r\nMASK J VERSION 1\r\n{\r\n FIELD A INT\r\n}\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "infotool", "validate", p)
	if code != 0 || !strings.Contains(out, "valid mask export, 1 mask, 1 field") {
		t.Errorf("code %d\nstdout %q\nstderr %q", code, out, errOut)
	}
}

func TestInfotoolValidateMaxErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte(strings.Repeat("[J]\nA=\\q\n", 5)), 0o644)
	code, out, errOut := runCLI(t, "infotool", "validate", "--max-errors", "2", bad)
	if code != ExitInvalid || strings.Count(errOut, "invalid escape") != 2 || !strings.Contains(out, "stopped after 2 errors") {
		t.Errorf("code %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	code, _, _ = runCLI(t, "infotool", "validate", filepath.Join(dir, "missing.txt"))
	if code != ExitFailure {
		t.Errorf("missing file: code %d", code)
	}
	code, _, _ = runCLI(t, "infotool", "validate", "--kind", "nonsense", bad)
	if code != ExitUsage {
		t.Errorf("bad --kind: code %d", code)
	}
}

func TestInfotoolStats(t *testing.T) {
	code, out, errOut := runCLI(t, "infotool", "stats", "--json", samples+"journal-cases.txt")
	if code != ExitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var res struct {
		Kind          string                    `json:"kind"`
		Encoding      string                    `json:"encoding"`
		Records       int                       `json:"records"`
		RecordsByType map[string]int            `json:"records_by_type"`
		FieldsByType  map[string]map[string]int `json:"fields_by_type"`
		ContentTypes  map[string]int            `json:"contenttype_histogram"`
		EOFMarker     bool                      `json:"eof_marker"`
		Lines         struct {
			Total, CRLF, LF int
			FinalNewline    bool `json:"final_newline"`
		} `json:"lines"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Kind != "journal" || res.Encoding != "cp1252" || res.Records != 12 || res.RecordsByType["JOURNAL"] != 12 || !res.EOFMarker {
		t.Errorf("summary: %+v", res)
	}
	if res.ContentTypes[" 4352 "] != 1 || res.ContentTypes["\t550\t"] != 1 || res.ContentTypes["512"] != 1 || res.ContentTypes["4352"] != 2 {
		t.Errorf("CONTENTTYPE histogram: %v", res.ContentTypes)
	}
	if res.FieldsByType["JOURNAL"]["CONTENTTYPE"] != 12 {
		t.Errorf("fields: %v", res.FieldsByType)
	}
	if res.Lines.Total != 42 || res.Lines.LF != 14 || res.Lines.CRLF != 27 || res.Lines.FinalNewline {
		t.Errorf("lines: %+v", res.Lines)
	}

	code, out, _ = runCLI(t, "infotool", "stats", samples+"fullexport.txt")
	if code != ExitOK || !strings.Contains(out, "databases          CORRELATION, JOURNAL") || !strings.Contains(out, `"4352"  1`) {
		t.Errorf("text stats, code %d:\n%s", code, out)
	}
	code, _, errOut = runCLI(t, "infotool", "stats", samples+"invalid-field.txt")
	if code != ExitInvalid || !strings.Contains(errOut, "invalid-field.txt:3:8:") {
		t.Errorf("invalid file: code %d, %q", code, errOut)
	}
}

func TestInfotoolExportNDJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "infotool", "export", samples+"fullexport.txt", "--to", "ndjson", "--type", "user")
	if code != ExitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	var rec struct {
		Type   string  `json:"type"`
		Key    *string `json:"key"`
		Line   int     `json:"line"`
		Fields []struct {
			Name, Value string
			Binary      bool
		} `json:"fields"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Type != "USER" || rec.Key == nil || *rec.Key != "baecker" || rec.Line != 13 ||
		rec.Fields[0].Value != "Jürgen Bäcker" || rec.Fields[2].Value != "0x00FF10A0" || !rec.Fields[2].Binary {
		t.Errorf("%+v", rec)
	}
}

func TestInfotoolExportCSV(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "users.csv")
	code, _, errOut := runCLI(t, "infotool", "export", samples+"fullexport.txt", "--to", "csv", "--type", "USER", "-o", dst)
	if code != ExitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	f, _ := os.Open(dst)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("%v: %v", err, rows)
	}
	if strings.Join(rows[0], ",") != "TYPE,KEY,LINE,NAME,PHONE,EMAIL,GROUP,CONTENTTYPE,PIN" || rows[1][6] != "hr-office\nsupport" || rows[2][3] != "Jürgen Bäcker" {
		t.Errorf("%q", rows)
	}
	// The output exists: without --force it is not replaced.
	code, _, _ = runCLI(t, "infotool", "export", samples+"fullexport.txt", "--to", "csv", "-o", dst)
	if code != ExitUsage {
		t.Errorf("existing output replaced without --force: code %d", code)
	}
	code, _, _ = runCLI(t, "infotool", "export", samples+"fullexport.txt", "--to", "xml")
	if code != ExitUsage {
		t.Errorf("--to xml: code %d", code)
	}
}

func TestMaskDiff(t *testing.T) {
	code, out, errOut := runCLI(t, "mask", "diff", samples+"maskexport-v5.mdl", samples+"maskexport-v7.mdl")
	if code != ExitDifferent {
		t.Fatalf("code %d: %s", code, errOut)
	}
	custom := strings.Index(out, "CUSTOM fields")
	fields := strings.Index(out, "\nfields:")
	if custom < 0 || fields < custom || !strings.Contains(out[custom:fields], "- JOURNAL.X_COSTCENTER STRING(16) CUSTOM") ||
		!strings.Contains(out[custom:fields], "~ USER.X_DEPARTMENT: STRING(32) CUSTOM -> STRING(64) CUSTOM (length)") {
		t.Errorf("CUSTOM fields not first:\n%s", out)
	}
	code, out, _ = runCLI(t, "mask", "diff", "--json", samples+"maskexport-v5.mdl", samples+"maskexport-v5.mdl")
	var res struct {
		Equal  bool  `json:"equal"`
		Fields []any `json:"fields"`
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &res) != nil || !res.Equal || res.Fields == nil {
		t.Errorf("same file: code %d\n%s", code, out)
	}
	code, _, errOut = runCLI(t, "mask", "diff", samples+"invalid-mask.mdl", samples+"maskexport-v5.mdl")
	if code != ExitInvalid || !strings.Contains(errOut, "invalid-mask.mdl:3:24") {
		t.Errorf("invalid: code %d, %q", code, errOut)
	}
}

func TestInfotoolStatsMask(t *testing.T) {
	code, out, errOut := runCLI(t, "infotool", "stats", samples+"maskexport-v5.mdl")
	if code != ExitOK || !strings.Contains(out, "kind       mask export") ||
		!strings.Contains(out, "JOURNAL  version 5, 9 fields, 2 CUSTOM") {
		t.Errorf("code %d\n%s%s", code, out, errOut)
	}
}

func TestInfotoolExportUTF16(t *testing.T) {
	code, out, errOut := runCLI(t, "infotool", "export", samples+"journal-utf16.txt", "--to", "ndjson")
	if code != ExitOK || !strings.Contains(out, `"value":"Grüße von Jürgen – 10 €"`) || !strings.Contains(out, `"value":"日本語 A"`) {
		t.Errorf("code %d\n%s%s", code, out, errOut)
	}
}
