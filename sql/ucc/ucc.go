// Package ucc names the columns of the XPR UCC database (mrsdb) that the
// upgrade manual lowercases; sql/pg (live) and sql/pgdump (offline) share it.
package ucc

// Target is one column to lowercase, named as the XPR manual spells it.
// Names are matched case-insensitively, so a table created unquoted (folded
// to symvcc.symconferenceusertempl) and one created with quoted mixed-case
// names are both found.
type Target struct {
	Schema, Table, Column string
}

func (t Target) String() string { return t.Schema + "." + t.Table + "." + t.Column }

// DefaultTargets are the two columns of the XPR upgrade manual:
//
//	UPDATE symVCC.symConferenceUserTempl SET InvitationAddress = lower(InvitationAddress);
//	UPDATE symConferencing.Invitees SET InvitationAddress = lower(InvitationAddress);
var DefaultTargets = []Target{
	{Schema: "symVCC", Table: "symConferenceUserTempl", Column: "InvitationAddress"},
	{Schema: "symConferencing", Table: "Invitees", Column: "InvitationAddress"},
}
