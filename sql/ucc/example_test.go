package ucc_test

import (
	"fmt"

	"github.com/xdm-migrate/xdm/sql/ucc"
)

// The columns the XPR upgrade manual lowercases, which sql/pg (live) and
// sql/pgdump (in a dump) look up without regard to case.
func ExampleDefaultTargets() {
	for _, t := range ucc.DefaultTargets {
		fmt.Println(t)
	}
	// Output:
	// symVCC.symConferenceUserTempl.InvitationAddress
	// symConferencing.Invitees.InvitationAddress
}
