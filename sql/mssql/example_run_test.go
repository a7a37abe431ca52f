package mssql_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql"
)

// echoServer is an Executor that answers every batch with a row count and
// fails the ones that contain "fail": a stand-in for mssql.Connect.
type echoServer struct{}

func (echoServer) Exec(ctx context.Context, sql string, res mssql.Results) error {
	if strings.Contains(sql, "fail") {
		res.Message(mssql.Message{Number: 50000, Class: 16, State: 1, Text: "failed on purpose", Line: 1})
		return nil
	}
	res.RowsAffected(1)
	return nil
}

func ExampleRun() {
	dir, _ := os.MkdirTemp("", "xdm-example")
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "import.sql")
	os.WriteFile(script, []byte("INSERT t VALUES (1)\nGO 2\n:on error exit\nSELECT 'fail'\nGO\nINSERT t VALUES (3)\n"), 0o644)

	sum, err := mssql.Run(context.Background(), mssql.RunOptions{
		Files:   []string{script},
		Connect: func(context.Context) (mssql.Executor, error) { return echoServer{}, nil },
		Out:     os.Stdout,
		ErrOut:  io.Discard, // error messages; nil sends them to Out, as sqlcmd does
		Progress: func(p mssql.Progress) {
			if !p.Checking {
				fmt.Printf("batch %d of %d done\n", p.Batch, p.Batches)
			}
		},
	})
	fmt.Printf("executed %d of %d, failed %d\n", sum.Executed, sum.Batches, sum.Failed)
	fmt.Println(strings.Replace(err.Error(), dir+string(filepath.Separator), "", 1))
	// Output:
	// (1 row affected)
	// (1 row affected)
	// batch 1 of 3 done
	// executed 2 of 3, failed 1
	// import.sql:4: batch 2 failed: Msg 50000, Level 16, State 1, Line 1: failed on purpose
}
