package script

import (
	"regexp"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/downgrade"
	"github.com/xdm-migrate/xdm/sql/version"
)

// TestCollationLikeDowngrade: sql script writes the collation names that
// sql downgrade writes for the same target (package sql/collation), so a
// UTF-8 collation never becomes an _SC collation that 2008 and 2008 R2 lack,
// and the report names the code page that varchar data keeps.
func TestCollationLikeDowngrade(t *testing.T) {
	const utf8 = "Latin1_General_100_CI_AS_SC_UTF8"
	snap := genSnapshot()
	snap.Database.Collation = utf8
	snap.Tables[0].Columns[1].Collation = utf8
	for _, target := range []version.Version{version.SQL2008, version.SQL2008R2, version.SQL2012, version.SQL2017, version.SQL2019} {
		script, rep := scriptChecked(t, snap, Options{Target: target, SchemaOnly: true, CreateDatabase: true})
		ddl := "CREATE TABLE x (a varchar(10) COLLATE " + utf8 + ")"
		out, _ := downgrade.RewriteBatch([]byte(ddl), downgrade.Options{Target: target}, downgrade.Position{})
		want := strings.TrimSuffix(strings.TrimPrefix(string(out), "CREATE TABLE x (a varchar(10) COLLATE "), ")")
		if n := len(regexp.MustCompile(`COLLATE `+want+`\b`).FindAllString(script, -1)); n != 2 || strings.Count(script, "COLLATE ") != 2 {
			t.Errorf("%s: the script names %s (as sql downgrade) %d times, want 2 (database, column):\n%s", target, want, n, script)
		}
		notes := 0
		for _, n := range rep.Notes {
			if n.Rule == "collation" && strings.Contains(n.Message, "code page 1252") {
				notes++
			}
		}
		if wantNotes := map[bool]int{true: 2, false: 0}[target < version.SQL2019]; notes != wantNotes {
			t.Errorf("%s: %d collation notes naming code page 1252, want %d: %v", target, notes, wantNotes, rep.Notes)
		}
	}
}
