package downgrade_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/xdm-migrate/xdm/sql/downgrade"
	"github.com/xdm-migrate/xdm/sql/version"
)

func ExampleRewriteBatch() {
	src := "DROP TABLE IF EXISTS dbo.Calls, dbo.CallsHistory;\n"
	out, findings := downgrade.RewriteBatch([]byte(src), downgrade.Options{Target: version.SQL2014},
		downgrade.Position{File: "db.sql", Line: 40})
	fmt.Print(string(out))
	for _, f := range findings {
		fmt.Println(f.File, f.Line, f.Action, f.Rule, f.Object)
	}
	// Output:
	// IF OBJECT_ID(N'dbo.Calls', N'U') IS NOT NULL DROP TABLE dbo.Calls; IF OBJECT_ID(N'dbo.CallsHistory', N'U') IS NOT NULL DROP TABLE dbo.CallsHistory;
	// db.sql 40 rewrite drop-if-exists TABLE dbo.Calls
}

// A script streamed from a reader to a writer: the CREATE OR ALTER becomes a
// stub batch plus ALTER, the body's STRING_AGG is refused (kept and
// reported; the stub, which stays when the ALTER fails, raises an error
// saying why), and the data batch passes through untouched.
func ExampleDowngrade() {
	script := "CREATE OR ALTER VIEW dbo.vNumbers AS\n" +
		"SELECT UserId, STRING_AGG(Number, ',') AS Numbers FROM dbo.Calls GROUP BY UserId\n" +
		"GO\n" +
		"INSERT dbo.Calls (UserId, Number) VALUES (1, N'STRING_AGG(')\n" +
		"GO\n"
	rep, err := downgrade.Downgrade(context.Background(), strings.NewReader(script), os.Stdout,
		downgrade.Options{Target: version.SQL2014, File: "calls.sql"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Findings {
		fmt.Println(f)
	}
	// Output:
	// IF OBJECT_ID(N'dbo.vNumbers') IS NULL EXEC sp_executesql N'CREATE VIEW dbo.vNumbers AS SELECT CAST(N''xdm: VIEW dbo.vNumbers could not be created on SQL Server 2014: it uses STRING_AGG() (SQL Server 2017); rewrite it by hand'' AS int) AS stub;';
	// GO
	// ALTER VIEW dbo.vNumbers AS
	// SELECT UserId, STRING_AGG(Number, ',') AS Numbers FROM dbo.Calls GROUP BY UserId
	// GO
	// INSERT dbo.Calls (UserId, Number) VALUES (1, N'STRING_AGG(')
	// GO
	// calls.sql:1:1: rewrite [create-or-alter]: CREATE OR ALTER (PROCEDURE, FUNCTION, VIEW, TRIGGER) (SQL Server 2016) in VIEW dbo.vNumbers: rewritten to a stub CREATE when the object is missing, then ALTER (keeps permissions); the stub raises an error naming the object when used
	// calls.sql:2:16: refuse [function-string-agg]: STRING_AGG() (SQL Server 2017) in VIEW dbo.vNumbers: STRING_AGG is not a built-in function on the target; the statement, or the module using it, fails there; VIEW dbo.vNumbers is created as a stub that raises this error when used
}

func ExampleCheck() {
	fs := downgrade.Check([]byte("SELECT a FROM t WHERE a IS DISTINCT FROM b"), downgrade.Options{Target: version.SQL2019}, downgrade.Position{})
	for _, f := range fs {
		fmt.Println(f.Line, f.Column, f.Action, f.Feature, f.Introduced, f.Blocking())
	}
	// Output:
	// 1 25 refuse IS [NOT] DISTINCT FROM SQL Server 2022 true
}
