package script_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
	"github.com/xdm-migrate/xdm/sql/mssql/script"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Script a one-table snapshot with embedded rows for SQL Server 2014.
func ExampleScript() {
	snap, err := catalog.ReadSnapshot(strings.NewReader(`{
	  "format": 1,
	  "source": {"version": 150},
	  "database": {"name": "XPDATA"},
	  "tables": [{
	    "schema": "dbo", "name": "Users",
	    "columns": [
	      {"name": "Id", "type": {"name": "int"}, "identity": {"seed": "1", "increment": "1"}},
	      {"name": "Login", "type": {"name": "nvarchar", "maxLength": 64}, "nullable": true}
	    ],
	    "primaryKey": {"name": "PK_Users", "clustered": true, "columns": [{"name": "Id"}]},
	    "rows": [[1, "admin"], [2, "it's $(me)"]]
	  }]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	var out strings.Builder
	rep, err := script.Script(context.Background(), &out, snap, script.Options{Target: version.SQL2014})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The script uses CRLF line ends, as Windows tools expect.
	fmt.Print(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	fmt.Fprintln(os.Stdout, "rows:", rep.Tables[0].Rows)
	// Output:
	// -- Database [XPDATA] scripted by xdm from SQL Server 2019 for SQL Server 2014.
	// -- Run with: xdm sql run, or sqlcmd -b -i <this file> (add -f 65001 if this file is UTF-8)
	// SET NOCOUNT ON;
	// SET ANSI_NULLS ON;
	// SET QUOTED_IDENTIFIER ON;
	// SET ANSI_PADDING ON;
	// SET ANSI_WARNINGS ON;
	// SET CONCAT_NULL_YIELDS_NULL ON;
	// SET NUMERIC_ROUNDABORT OFF;
	// GO
	// CREATE TABLE [dbo].[Users] (
	//     [Id] int IDENTITY(1, 1) NOT NULL,
	//     [Login] nvarchar(32) NULL,
	//     CONSTRAINT [PK_Users] PRIMARY KEY CLUSTERED ([Id] ASC)
	// );
	// GO
	// SET IDENTITY_INSERT [dbo].[Users] ON;
	// INSERT INTO [dbo].[Users] ([Id], [Login])
	// VALUES
	// (1, N'admin'),
	// (2, N'it''s $' + N'(me)');
	// SET IDENTITY_INSERT [dbo].[Users] OFF;
	// GO
	// rows: 2
}

// Literals for a few column types: exact, and safe from sqlcmd's $(var)
// substitution.
func ExampleAppendLiteral() {
	values := []struct {
		t catalog.Type
		v any
	}{
		{catalog.Type{Name: "nvarchar", MaxLength: 100}, "it's $(HOME)"},
		{catalog.Type{Name: "float"}, 0.1},
		{catalog.Type{Name: "datetime2", Scale: 3}, "2026-01-31T23:59:59.1234567"},
		{catalog.Type{Name: "varbinary", MaxLength: -1}, []byte{0xCA, 0xFE}},
		{catalog.Type{Name: "hierarchyid", Schema: "sys"}, []byte{0x58}},
	}
	for _, x := range values {
		b, err := script.AppendLiteral(nil, x.t, x.v)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(string(b))
	}
	// Output:
	// N'it''s $' + N'(HOME)'
	// 1E-01
	// '2026-01-31T23:59:59.123'
	// 0xCAFE
	// CAST(0x58 AS hierarchyid)
}
