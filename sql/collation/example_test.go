package collation_test

import (
	"fmt"

	"github.com/xdm-migrate/xdm/sql/collation"
	"github.com/xdm-migrate/xdm/sql/version"
)

func ExampleFor() {
	m := collation.For("Latin1_General_100_CI_AS_SC_UTF8", version.SQL2008R2)
	fmt.Println(m.To, m.CodePage)
	for _, l := range m.Lost {
		fmt.Println("-", l)
	}
	ok, _ := collation.Representable(m.CodePage, "Łódź")
	fmt.Println("Łódź survives in varchar:", ok)
	// Output:
	// Latin1_General_100_CI_AS 1252
	// - UTF-8 storage of char and varchar (_UTF8, SQL Server 2019)
	// - supplementary character awareness (_SC, SQL Server 2012)
	// Łódź survives in varchar: false
}
