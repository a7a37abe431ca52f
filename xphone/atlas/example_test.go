package atlas_test

import (
	"fmt"

	"github.com/xdm-migrate/xdm/xphone/atlas"
)

// After the SQL Server Express update the instance is renamed: every Data
// Source that names the old one gets the new one, and nothing else of the
// file changes.
func ExampleFile_Apply() {
	doc := `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <databases>
    <database name="XPDATA" connectionString="Data Source=(local)\XPCONNECT;Initial Catalog=XPDATA;Integrated Security=True" useLogin="Windows" />
  </databases>
</configuration>
`
	f, err := atlas.Parse([]byte(doc), "atlas.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, db := range f.Databases() {
		fmt.Println(db.Name, db.ConnectionString.DataSource(), db.UseLogin)
	}
	changes, err := f.Apply(atlas.Edit{Instances: []atlas.Rename{{From: `(local)\XPCONNECT`, To: `(local)\XPCONNECT2019`}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Printf("line %d %s\n", c.Line, c.Attribute)
	}
	after, _ := atlas.Parse(f.Bytes(), "atlas.xml")
	fmt.Println(after.Databases()[0].ConnectionString.DataSource())
	// Output:
	// XPDATA (local)\XPCONNECT Windows
	// line 4 connectionString
	// (local)\XPCONNECT2019
}
