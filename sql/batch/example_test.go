package batch_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/sql/batch"
)

func ExampleReader() {
	script := ":setvar Table Users\r\n" +
		"INSERT INTO $(Table) VALUES ('GO\r\nstill the string')\r\n" +
		"GO 2\r\n" +
		":on error exit\r\n" +
		"SELECT COUNT(*) FROM $(Table)\r\n"
	r := batch.NewReader(strings.NewReader(script), batch.Options{Name: "import.sql"})
	for {
		it, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		switch it.Kind {
		case batch.Batch:
			fmt.Printf("batch %d at line %d, %d time(s): %q\n", it.Ordinal, it.Line, it.Repeat, it.SQL)
		case batch.Command:
			fmt.Printf("command :%s %s at line %d\n", it.Name, it.Args, it.Line)
		}
	}
	// Output:
	// batch 1 at line 2, 2 time(s): "INSERT INTO Users VALUES ('GO\r\nstill the string')\r\n"
	// command :on error exit at line 5
	// batch 2 at line 6, 1 time(s): "SELECT COUNT(*) FROM Users\r\n"
}

// In raw mode the items put together are the script, byte for byte: a
// rewriting tool changes only the batches it means to change.
func ExampleReader_raw() {
	script := "SELECT 1\nGO\n:r other.sql\nSELECT $(x)\n"
	r := batch.NewReader(strings.NewReader(script), batch.Options{Raw: true})
	var out strings.Builder
	for {
		it, err := r.Read()
		if err == io.EOF {
			break
		}
		fmt.Printf("%s at line %d: %q\n", it.Kind, it.Line, it.Raw)
		out.Write(it.Raw)
	}
	fmt.Println(out.String() == script)
	// Output:
	// batch at line 1: "SELECT 1\nGO\n"
	// command at line 3: ":r other.sql\n"
	// batch at line 4: "SELECT $(x)\n"
	// true
}
