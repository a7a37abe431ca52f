package version_test

import (
	"fmt"

	"github.com/xdm-migrate/xdm/sql/version"
)

// A target version as users give it: a release year, a rule number or the
// product version SELECT @@VERSION shows.
func ExampleParse() {
	for _, s := range []string{"2014", "2008 R2", "12.0.6024.0", "150"} {
		v, err := version.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(v, v.MaxCompatibilityLevel())
	}
	// Output:
	// SQL Server 2014 120
	// SQL Server 2008 R2 100
	// SQL Server 2014 120
	// SQL Server 2019 150
}
