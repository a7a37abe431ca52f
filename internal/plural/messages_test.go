package plural

import (
	"regexp"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/srctest"
)

// countedPlural finds a count written before a plural noun in a format
// string ("%d problems", "%d JOURNAL records") and the "(s)" dodge
// ("%d row(s)"): both read wrong for one. Messages use Count instead.
var countedPlural = regexp.MustCompile(`%d (?:[A-Z]+ )?[a-z]+s\b|%d [a-z]+\(s\)`)

// allowedPlurals are format strings whose count is never 1, by file and
// the text around the count.
var allowedPlurals = map[string][]string{
	"internal/cli/root.go":          {"%d to %d arguments"},                                             // max > min >= 0: never one
	"sql/mssql/output.go":           {"(%d rows affected)"},                                             // sqlcmd's words; n == 1 is printed apart
	"sql/mssql/catalog/reader.go":   {"%d rows\", n"},                                                   // the error for n != 1
	"xphone/wav/wav.go":             {"%d channels", "%d bytes\", ErrUnsupported", "declares %d bytes"}, // not 1 or 2; a limit; a chunk size field
	"xphone/atlas/atlas.go":         {"larger than %d bytes"},
	"xphone/convert.go":             {"%d ms"},
	"registry/data.go":              {"(%d bytes)"},    // over 128 bytes
	"transform/transform.go":        {"%d bytes"},      // a SplitFunc's bug, for its programmer
	"parsers/reg/writer.go":         {"with %d bytes"}, // a caller's bug, not input
	"backup/tarstream/rewrite.go":   {"%d bytes: %w"},
	"backup/tarstream/reader.go":    {"holds %d bytes"}, // more than the limit
	"sql/mssql/script/literal.go":   {"of %d bytes (want 16)"},
	"sql/mssql/catalog/validate.go": {"%d grid levels, want 4"},
	"sql/mssql/script/script.go":    {"at most %d rows"}, // a constant limit
}

// TestMessagesSayOneInTheSingular reads every Go file of xdm except tests
// and generated parsers for format strings that would say "1 problems".
func TestMessagesSayOneInTheSingular(t *testing.T) {
	srctest.EachLine(t, []string{"bench", "internal/testgen"}, func(rel string, n int, line string) {
		if !strings.Contains(line, `"`) || !countsAPlural(line) || allowed(rel, line) {
			return
		}
		t.Errorf("%s:%d: a count before a plural reads wrong for 1; use plural.Count: %s", rel, n, strings.TrimSpace(line))
	})
}

// countsAPlural says whether line has a count before a plural noun; a
// verb after the count ("%d is", "%d has") is none.
func countsAPlural(line string) bool {
	for _, m := range countedPlural.FindAllString(line, -1) {
		switch m[strings.LastIndex(m, " ")+1:] {
		case "is", "has", "was", "does", "starts", "ends":
			continue
		}
		return true
	}
	return false
}

func allowed(file, line string) bool {
	for _, s := range allowedPlurals[file] {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}
