// Package batch splits SQLCMD scripts into the batches that sqlcmd would send
// to SQL Server, and into the sqlcmd commands between them. It works on bytes,
// knows nothing about connections or drivers, and reads any io.Reader with
// memory bounded by the largest batch, not by the script.
//
// # The script language
//
// A batch ends at a line holding only GO, optionally followed by a repeat
// count and a -- comment ("GO", "go 5", "  GO -- done"), unless that line lies
// inside a '...' string, a "..." or [...] identifier, or a /* */ comment
// (nested as SQL Server nests them) that started on an earlier line. A line
// starting with ':' (after blanks) is an sqlcmd command: :setvar, :r, :on
// error, :exit, :quit, :reset, :listvar, :error, :out, :list, :connect, :ed,
// :serverlist, :xml, :perftrace, :help; so is "!!". For compatibility with osql
// scripts, exit, quit, reset and ed are commands without the colon as well
// when they stand alone on their line ("exit(...)" too). Commands and GO are
// case-insensitive. $(NAME) is replaced by the value of the scripting variable
// NAME (case-insensitive) everywhere, inside strings and comments too, and in
// the arguments of commands. docs/sqlcmd-compat.md lists where this package
// deliberately differs from sqlcmd.
//
// # Two modes
//
// In the normal mode (Options.Raw false) Read returns what sqlcmd executes:
// each Batch Item holds the batch text after variable substitution, with the
// files named by :r read in place; :setvar, :r and :reset are carried out by
// the Reader and not returned; batches holding only blanks are dropped; every
// other command is returned as a Command Item for the caller to carry out
// (:on error, :exit, :out, ...). Reader.Vars lists the variables for :listvar.
//
// In the raw mode (Options.Raw true) Read returns the script as it is written,
// for tools that rewrite scripts: no substitution, :r is not followed, and
// every byte of the input belongs to exactly one Item, so writing Item.Raw of
// all items in order reproduces the input byte for byte. A Batch Item's Raw is
// its SQL (the exact source lines, terminators included) followed by Go, the
// exact GO line including its line terminator. Go is empty for the last batch
// of a script without a final GO, and for the SQL lines before a command line
// in the middle of a batch: sqlcmd's batch then continues after the command,
// and the next Batch Item carries the same Ordinal.
//
// Line terminators are never changed: "\r\n", "\n" and a final line without
// a terminator come back as they were read; a UTF-8 byte order mark at the
// start is kept in Raw and left out of the normal mode's text. Other encodings
// (UTF-16, code page 1252) are converted to UTF-8 before splitting by Decode.
//
// Item slices (Raw, SQL, Go) are only valid until the next call to Read; use
// Item.Clone to keep an item.
package batch
