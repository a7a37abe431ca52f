package mask_test

import (
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/mask"
)

func ExampleDiff() {
	old, err := mask.Parse(strings.NewReader(`
MASK JOURNAL VERSION 5
{
    FIELD MSGID        STRING(32)    KEY
    FIELD SUBJECT      STRING(128)
    FIELD X_COSTCENTER STRING(16)    CUSTOM    ; added by the customer
}`), "old.mdl")
	if err != nil {
		fmt.Println(err)
		return
	}
	new, err := mask.Parse(strings.NewReader(`
mask journal version 7
{
    field msgid   string(32)  key
    field subject string(255)
    field created datetime    index
}`), "new.mdl")
	if err != nil {
		fmt.Println(err)
		return
	}
	d := mask.Diff(old, new)
	for _, f := range d.Fields {
		fmt.Println(f.Change, f.Mask+"."+f.Field, f.What, "custom:", f.Custom)
	}
	// Output:
	// removed JOURNAL.X_COSTCENTER [] custom: true
	// changed JOURNAL.SUBJECT [length] custom: false
	// added journal.created [] custom: false
}
