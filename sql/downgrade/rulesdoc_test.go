package downgrade

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

const rulesDoc = "../../docs/downgrade-rules.md"

// rulesTable renders Rules() as the Markdown table of docs/downgrade-rules.md.
func rulesTable() string {
	var sb strings.Builder
	sb.WriteString("| Rule | Feature | Since | Action | What xdm does for an older target |\n")
	sb.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, r := range Rules() {
		since := "per level"
		if r.Introduced != 0 {
			since = strings.TrimPrefix(r.Introduced.String(), "SQL Server ")
		}
		fmt.Fprintf(&sb, "| `%s` | %s | %s | %s | %s |\n", r.ID,
			strings.ReplaceAll(r.Feature, "|", "\\|"), since, r.Action, strings.ReplaceAll(r.Message, "|", "\\|"))
	}
	return sb.String()
}

// TestRulesDoc keeps the table in docs/downgrade-rules.md equal to the
// table in code; go test -update rewrites it.
func TestRulesDoc(t *testing.T) {
	doc, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := []byte("<!-- rules:begin -->\n"), []byte("<!-- rules:end -->")
	i, j := bytes.Index(doc, begin), bytes.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no <!-- rules:begin --> ... <!-- rules:end --> markers", rulesDoc)
	}
	got := string(doc[i+len(begin) : j])
	want := rulesTable()
	if got == want {
		return
	}
	if *update {
		out := append(append(append([]byte{}, doc[:i+len(begin)]...), want...), doc[j:]...)
		if err := os.WriteFile(rulesDoc, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the rules table in %s differs from Rules(); run go test -update", rulesDoc)
}
