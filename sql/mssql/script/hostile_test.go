package script

import (
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/version"
)

// TestOddNamesOnEveryTarget: names with ], ', ", $(, a line break before
// GO, Unicode outside the BMP and reserved words, a default and a check
// holding $( and a doubled quote, and rows with $(, CRLF before GO and :r: the script
// parses on every target (the oracle checks every batch and the text run
// as dynamic SQL), and each name reaches the server as it was.
func TestOddNamesOnEveryTarget(t *testing.T) {
	snap := snapshotOf(t, `{"format": 1, "source": {"version": 150}, "database": {"name": "D]b's x", "collation": "Latin1_General_CI_AS", "compatibilityLevel": 150},
	  "schemas": [{"name": "we]ird'\"$(s)", "owner": "dbo"}, {"name": "select", "owner": "dbo"}],
	  "tables": [
	   {"schema": "we]ird'\"$(s)", "name": "Tä]b'le \"x\" 😀", "columns": [
	    {"name": "Id]", "type": {"name": "int"}, "identity": {"seed": "-2147483648", "increment": "1"}},
	    {"name": "GO", "type": {"name": "nvarchar", "maxLength": 40}, "nullable": true, "default": {"name": "DF_'x]", "definition": "(N'$(d)')"}},
	    {"name": "c\r\nGO\r\nx", "type": {"name": "varchar", "maxLength": 10}, "nullable": true}],
	    "primaryKey": {"name": "PK ]'x", "clustered": true, "columns": [{"name": "Id]"}]},
	    "checks": [{"name": "CK$(c)", "definition": "([GO]<>N'it''s')"}],
	    "rows": [[1, "a$(b)", "x"], [2, "😀'", "é"], [3, "l1\r\nGO\r\nl3", "\r\n:r x"]]},
	   {"schema": "select", "name": "from", "columns": [{"name": "order", "type": {"name": "int"}}],
	    "rows": [[1]]}]}`)
	for _, target := range []version.Version{version.SQL2008, version.SQL2012, version.SQL2014, version.SQL2016, version.SQL2019, version.SQL2022} {
		out, _ := scriptChecked(t, snap, Options{Target: target, CreateDatabase: true})
		for _, want := range []string{"CREATE DATABASE [D]]b's x]", "[we]]ird''\"$' + N'(s)].[Tä]]b''le \"x\" 😀]",
			"CREATE TABLE [select].[from] (", "[order] int NOT NULL", "CONSTRAINT [PK ]]''x] PRIMARY KEY CLUSTERED ([Id]]] ASC)"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the script lacks %s", target, want)
			}
		}
	}
}
