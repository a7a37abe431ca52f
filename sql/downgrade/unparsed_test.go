package downgrade

import (
	"testing"

	"github.com/xdm-migrate/xdm/sql/version"
)

// TestStatementsTheOracleCannotParse: the golden cases hold these
// statements as dynamic SQL, because ScriptDom parses them at no level
// (docs/downgrade-rules.md, "How the output is proven"). Written as plain
// batches, as a 2019 script has them, they are rewritten the same way.
func TestStatementsTheOracleCannotParse(t *testing.T) {
	cases := []struct {
		target  version.Version
		in, out string
		rules   []string
	}{
		{version.SQL2017, "ALTER DATABASE [XPhone] SET ENCRYPTION SUSPEND;", "", []string{"encryption-scan"}},
		{version.SQL2017, "ALTER DATABASE [XPhone] SET ENCRYPTION RESUME, AUTO_CLOSE OFF",
			"ALTER DATABASE [XPhone] SET AUTO_CLOSE OFF", []string{"encryption-scan"}},
		{version.SQL2017, "ALTER DATABASE [XPhone] SET QUERY_STORE (QUERY_CAPTURE_POLICY = (EXECUTION_COUNT = 30))",
			"", []string{"query-store-options"}},
		{version.SQL2016, "ALTER DATABASE [XPhone] SET QUERY_STORE = ON (QUERY_CAPTURE_MODE = CUSTOM, QUERY_CAPTURE_POLICY = (TOTAL_EXECUTION_CPU_TIME_MS = 1000), WAIT_STATS_CAPTURE_MODE = ON)",
			"ALTER DATABASE [XPhone] SET QUERY_STORE = ON (QUERY_CAPTURE_MODE = AUTO)",
			[]string{"query-store-options", "query-store-options", "query-store-options"}},
		{version.SQL2017, "ALTER DATABASE [XPhone] SET QUERY_STORE = ON (WAIT_STATS_CAPTURE_MODE = ON, QUERY_CAPTURE_MODE = AUTO)",
			"ALTER DATABASE [XPhone] SET QUERY_STORE = ON (WAIT_STATS_CAPTURE_MODE = ON, QUERY_CAPTURE_MODE = AUTO)", nil},
		{version.SQL2019, "ALTER DATABASE [XPhone] SET ENCRYPTION SUSPEND", "ALTER DATABASE [XPhone] SET ENCRYPTION SUSPEND", nil},
	}
	for _, c := range cases {
		out, fs := RewriteBatch([]byte(c.in), Options{Target: c.target}, Position{})
		var rules []string
		for _, f := range fs {
			rules = append(rules, f.Rule)
		}
		if string(out) != c.out || len(rules) != len(c.rules) {
			t.Errorf("%s at %s:\n got %q %v\nwant %q %v", c.in, c.target, out, rules, c.out, c.rules)
			continue
		}
		for k := range rules {
			if rules[k] != c.rules[k] {
				t.Errorf("%s: rules %v, want %v", c.in, rules, c.rules)
			}
		}
	}
}
