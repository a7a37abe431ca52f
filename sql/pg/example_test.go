package pg_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/xdm-migrate/xdm/sql/pg"
)

// Lowercase needs a server, so this example is compiled but not run.
func ExampleLowercase() {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, "postgres://postgres@xprdb/mrsdb")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close(ctx)
	rep, err := pg.Lowercase(ctx, conn, pg.Options{DryRun: true})
	if errors.Is(err, pg.ErrCollisions) {
		for _, c := range rep.Collisions {
			fmt.Println(c)
		}
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range rep.Tables {
		fmt.Printf("%s: %d rows would change\n", t.Name(), t.Rows)
	}
}

// A table found in the catalog is named as SQL needs it: the quotes keep the
// case of names created quoted.
func ExampleTableResult_Name() {
	quoted := pg.TableResult{Schema: "symVCC", Table: "symConferenceUserTempl"}
	folded := pg.TableResult{Schema: "symconferencing", Table: "invitees"}
	fmt.Println(quoted.Name())
	fmt.Println(folded.Name())
	// Output:
	// "symVCC"."symConferenceUserTempl"
	// "symconferencing"."invitees"
}
