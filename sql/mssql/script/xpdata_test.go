package script

import (
	"sort"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/sql/version"
)

// TestXPDATAPerTarget: the XPDATA snapshot (testdata/xpdata.in, what a real
// XPhone database on SQL Server 2019 holds) scripts for every target with
// no parse error outside the statements xdm refuses (scriptGolden checks),
// and the report names exactly what each target refuses, leaves out or
// cannot keep.
func TestXPDATAPerTarget(t *testing.T) {
	for _, tc := range []struct {
		target  version.Version
		refused []string // object: rule
		omitted []string // object: rule, beyond the compatibility level
	}{
		{version.SQL2008,
			[]string{"[dbo].[fn_AuditText]: function-concat", "[journal].[usp_CallReport]: function-string-agg", "[journal].[usp_NextCallNumber]: create-sequence"},
			[]string{"[cfg].[Settings]: temporal table", "[dbo].[Users].[IX_Users_Department]: OPTIMIZE_FOR_SEQUENTIAL_KEY",
				"[geo].[Locations].[SIX_Locations_Position]: spatial auto grid", "[journal].[CallNumbers]: sequence",
				"[journal].[CallStats].[CCI_CallStats]: columnstore index", "[journal].[Calls].[NCCI_Calls]: columnstore index", "[journal].[Calls]: create-sequence",
				"database: scoped configuration IDENTITY_CACHE", "database: scoped configuration LEGACY_CARDINALITY_ESTIMATION", "database: scoped configuration MAXDOP"}},
		{version.SQL2012,
			[]string{"[journal].[usp_CallReport]: function-string-agg"},
			[]string{"[cfg].[Settings]: temporal table", "[dbo].[Users].[IX_Users_Department]: OPTIMIZE_FOR_SEQUENTIAL_KEY",
				"[journal].[CallStats].[CCI_CallStats]: columnstore index", "[journal].[Calls].[NCCI_Calls]: columnstore index",
				"database: scoped configuration IDENTITY_CACHE", "database: scoped configuration LEGACY_CARDINALITY_ESTIMATION", "database: scoped configuration MAXDOP"}},
		{version.SQL2014,
			[]string{"[journal].[usp_CallReport]: function-string-agg"},
			[]string{"[cfg].[Settings]: temporal table", "[dbo].[Users].[IX_Users_Department]: OPTIMIZE_FOR_SEQUENTIAL_KEY",
				"[journal].[Calls].[NCCI_Calls]: columnstore index",
				"database: scoped configuration IDENTITY_CACHE", "database: scoped configuration LEGACY_CARDINALITY_ESTIMATION", "database: scoped configuration MAXDOP"}},
		{version.SQL2016,
			[]string{"[journal].[usp_CallReport]: function-string-agg"},
			[]string{"[dbo].[Users].[IX_Users_Department]: OPTIMIZE_FOR_SEQUENTIAL_KEY", "database: scoped configuration IDENTITY_CACHE"}},
		{version.SQL2019, nil, nil},
		{version.SQL2022, nil, nil},
	} {
		out, rep := scriptGolden(t, 1, tc.target, nil)
		var refused, omitted []string
		for _, n := range rep.Notes {
			switch {
			case n.Refused():
				refused = append(refused, n.Object+": "+n.Rule)
			case n.Action == "omit" && n.Rule != "compatibility level":
				omitted = append(omitted, n.Object+": "+n.Rule)
			}
		}
		sort.Strings(refused)
		sort.Strings(omitted)
		if strings.Join(refused, "\n") != strings.Join(tc.refused, "\n") {
			t.Errorf("%s: refused\n%s\nwant\n%s", tc.target, strings.Join(refused, "\n"), strings.Join(tc.refused, "\n"))
		}
		if strings.Join(omitted, "\n") != strings.Join(tc.omitted, "\n") {
			t.Errorf("%s: left out\n%s\nwant\n%s", tc.target, strings.Join(omitted, "\n"), strings.Join(tc.omitted, "\n"))
		}
		var rows int64
		for _, tr := range rep.Tables {
			rows += tr.Rows
		}
		if len(rep.Tables) != 10 || rows != 27 {
			t.Errorf("%s: %d rows in %d tables", tc.target, rows, len(rep.Tables))
		}
		if len(rep.Cycles) != 1 || !strings.Contains(out, "RESEED, 1045);") {
			t.Errorf("%s: cycles %v", tc.target, rep.Cycles)
		}
	}
}
