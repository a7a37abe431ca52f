package catalog_test

import (
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/version"
)

// The catalog queries differ by source version: a 2012 server is never asked
// for columns that 2016 added.
func ExampleQueries() {
	for _, v := range []version.Version{version.SQL2012, version.SQL2016} {
		for _, q := range catalog.Queries(v) {
			if q.Name == "tables" {
				fmt.Printf("%s reads temporal_type: %v\n", v, strings.Contains(q.SQL, "t.temporal_type"))
			}
		}
	}
	// Output:
	// SQL Server 2012 reads temporal_type: false
	// SQL Server 2016 reads temporal_type: true
}

func ExampleReadSnapshot() {
	snap, err := catalog.ReadSnapshot(strings.NewReader(`{
	  "format": 1,
	  "source": {"version": 120},
	  "database": {"name": "XPDATA"},
	  "tables": [{"schema": "dbo", "name": "Users]x", "columns": [{"name": "Id", "type": {"name": "int"}}]}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	t := snap.Tables[0]
	fmt.Println(snap.Source.Version, catalog.QualifiedName(t.Schema, t.Name), t.Columns[0].Type.SQL())
	// Output:
	// SQL Server 2014 [dbo].[Users]]x] int
}
