package tsql_test

import (
	"fmt"

	"github.com/xdm-migrate/xdm/sql/tsql"
)

func ExampleLex() {
	src := []byte("SELECT N'TRIM(' /* TRIM( */, TRIM([a]]b]) -- TRIM(\n")
	for _, t := range tsql.Lex(src) {
		if t.Kind.Trivia() {
			continue
		}
		fmt.Printf("%d:%d %-9v %s\n", t.Line, t.Column, t.Kind, t.Text(src))
	}
	// Output:
	// 1:1 Word      SELECT
	// 1:8 String    N'TRIM('
	// 1:28 Punct     ,
	// 1:30 Word      TRIM
	// 1:34 Punct     (
	// 1:35 Bracketed [a]]b]
	// 1:41 Punct     )
}
