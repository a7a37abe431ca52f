// Package pgdump lowercases the UCC invitation addresses in a plain-format
// pg_dump file (the XPR Smart Backup's dump.sql) without a database: it
// streams the dump through the transform engine, finds the COPY blocks of
// symVCC.symConferenceUserTempl and symConferencing.Invitees in whatever
// spelling, and rewrites only the InvitationAddress field of their rows.
// Every other byte of the file comes out as it went in, and a field whose
// lowercase form equals its value is not re-encoded.
//
// The unique constraints and indexes of a dump come after its data, so the
// collision check can only conclude at the end: Rewrite streams the output
// and reports collisions (ErrCollisions) when the input is exhausted, and the
// caller discards what was written (the CLI writes to a temporary file and
// deletes it). To check without writing, pass io.Discard. A dump that ends
// inside COPY data (cut off before its \. line) is an error too.
//
// Memory is bounded by the engine's queue (workers × chunk size) plus, for
// the collision check, the rows of the two target tables (each row's line
// and its lowercased value): those tables hold configuration, not messages,
// so this is a small share of a dump.
package pgdump
